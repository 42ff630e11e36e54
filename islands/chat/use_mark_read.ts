import { useEffect } from "preact/hooks";
import type { ClientView } from "../../lib/client/conversation_client.ts";

/**
 * Messages count as read only while the page is in front of the person:
 * calls `markRead` now and whenever the page comes to the front, and again
 * each time the number of unread messages changes.
 */
export function useMarkRead(view: ClientView | null, markRead: () => void): void {
  useEffect(() => {
    const onFront = () => {
      if (document.visibilityState === "visible" && document.hasFocus()) markRead();
    };
    onFront();
    globalThis.addEventListener("focus", onFront);
    document.addEventListener("visibilitychange", onFront);
    return () => {
      globalThis.removeEventListener("focus", onFront);
      document.removeEventListener("visibilitychange", onFront);
    };
  }, [unreadCount(view)]);
}

/**
 * Received messages not yet read: counted, not just all messages, so a file
 * that finishes arriving (no new message, a new status) is marked read too.
 */
function unreadCount(view: ClientView | null): number {
  return view?.messages.filter((m) => m.direction === "in" && m.status === "received").length ??
    0;
}
