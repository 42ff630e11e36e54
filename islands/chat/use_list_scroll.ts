import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import type { StoredMessage } from "../../lib/client/storage.ts";

/** Within this many pixels of the end the list counts as at the newest message. */
const NEAR_END_PX = 48;

/** What {@linkcode useListScroll} gives the message list. */
export interface ListScroll {
  /** Messages that arrived while the person had scrolled up; 0 hides the button. */
  unseen: number;
  /** Scrolls to the newest message and forgets the count. */
  toNewest(): void;
  /** Whether the list is at its newest message now (not as last rendered). */
  atNewest(): boolean;
}

/** Whether a message counts as new for the "new messages" button. */
function isNewIncoming(message: StoredMessage): boolean {
  return message.direction === "in" && message.kind !== "hello";
}

/**
 * Scrolling of the message list, and only of it (never the page): opening
 * lands on the first unread message, or the newest when all are read; a new
 * message keeps the list at the end when it was there (or when this person
 * wrote it); otherwise it is counted for the "new messages" button.
 */
export function useListScroll(
  list: { current: HTMLElement | null },
  messages: StoredMessage[],
): ListScroll {
  const unseen = useSignal(0);
  const atEnd = useRef(true);
  const landed = useRef(false);
  const known = useRef(new Set<string>());

  function toEnd() {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
    atEnd.current = true;
    unseen.value = 0;
  }

  useLayoutEffect(() => {
    const element = list.current;
    if (element === null) return;
    const added = messages.filter((m) => !known.current.has(m.id));
    known.current = new Set(messages.map((m) => m.id));
    if (!landed.current) {
      if (messages.length === 0) return;
      landed.current = true;
      // Read before this page marks anything read: the status is still "received".
      const unread = messages.filter((m) => isNewIncoming(m) && m.status === "received");
      const first = unread.length > 0
        ? element.querySelector<HTMLElement>(`[data-id="${unread[0].id}"]`)
        : null;
      if (first === null) return toEnd();
      element.scrollTop = Math.max(0, first.offsetTop - 16);
      atEnd.current = isAtEnd(element);
      unseen.value = atEnd.current ? 0 : unread.length;
      return;
    }
    // At the end it stays there; what this person wrote is always shown.
    if (atEnd.current || added.some((m) => m.direction === "out")) return toEnd();
    unseen.value += added.filter(isNewIncoming).length;
  }, [messages]);

  useEffect(() => {
    const element = list.current;
    if (element === null) return;
    const onScroll = () => {
      atEnd.current = isAtEnd(element);
      if (atEnd.current) unseen.value = 0;
    };
    element.addEventListener("scroll", onScroll, { passive: true });
    // Images and files that grow after a render keep the end in view.
    const resize = new ResizeObserver(() => {
      if (atEnd.current) element.scrollTop = element.scrollHeight;
    });
    resize.observe(element);
    const items = element.firstElementChild;
    if (items) resize.observe(items);
    return () => {
      element.removeEventListener("scroll", onScroll);
      resize.disconnect();
    };
  }, [list.current, messages.length === 0]);

  return { unseen: unseen.value, toNewest: toEnd, atNewest: () => atEnd.current };
}

function isAtEnd(element: HTMLElement): boolean {
  return element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_END_PX;
}
