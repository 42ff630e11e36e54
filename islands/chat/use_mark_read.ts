import { useEffect } from "preact/hooks";
import type { ClientView } from "../../lib/client/conversation_client.ts";
import type { ListScroll } from "./use_list_scroll.ts";

/**
 * Messages count as read only while the page is in front of the person and
 * the list is at its newest message (`scroll.atNewest()`, asked at the
 * moment: a message that arrives while the person has scrolled up is not
 * read): calls `markRead` now and whenever the page comes to the front, and
 * again each time the number of unread messages changes or the count of
 * unseen ones goes back to none.
 */
export function useMarkRead(
  view: ClientView | null,
  markRead: () => void,
  scroll: ListScroll,
): void {
  useEffect(() => {
    const onFront = () => {
      if (
        scroll.atNewest() && document.visibilityState === "visible" && document.hasFocus()
      ) markRead();
    };
    onFront();
    globalThis.addEventListener("focus", onFront);
    document.addEventListener("visibilitychange", onFront);
    return () => {
      globalThis.removeEventListener("focus", onFront);
      document.removeEventListener("visibilitychange", onFront);
    };
  }, [unreadCount(view), scroll.unseen === 0]);
}

/**
 * Received messages not yet read: counted, not just all messages, so a file
 * that finishes arriving (no new message, a new status) is marked read too.
 */
function unreadCount(view: ClientView | null): number {
  return view?.messages.filter((m) => m.direction === "in" && m.status === "received").length ??
    0;
}
