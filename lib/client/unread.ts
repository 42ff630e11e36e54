/**
 * Counting messages that arrive while nobody looks at the page, for the tab
 * title and the icon badge.
 *
 * @module
 */

/** The part of a message the counter reads. */
export interface Countable {
  id: string;
  direction: "in" | "out";
}

/** Whether the page is out of sight: hidden, or in a window without focus. */
export function isPageAway(doc: Document = document): boolean {
  return doc.visibilityState === "hidden" || !doc.hasFocus();
}

/** "(2) Conversation · The Anonymous", or the title alone when nothing is unread. */
export function titleWithCount(title: string, count: number): string {
  return count > 0 ? `(${count}) ${stripCount(title)}` : stripCount(title);
}

/** Removes a leading "(n) " count from a title. */
export function stripCount(title: string): string {
  return title.replace(/^\(\d+\+?\) /, "");
}

/**
 * Remembers which messages were already there and picks out incoming ones
 * that are new. The messages present at the start count as seen.
 */
export class UnreadCounter {
  #seen: Set<string>;
  #count = 0;

  constructor(initial: readonly Countable[]) {
    this.#seen = new Set(initial.map((m) => m.id));
  }

  /** Unread incoming messages since the last {@linkcode clear}. */
  get count(): number {
    return this.#count;
  }

  /**
   * Marks every message as seen and returns how many new incoming ones there
   * were; they are counted as unread when `away` is true.
   */
  observe(messages: readonly Countable[], away: boolean): number {
    let fresh = 0;
    for (const message of messages) {
      if (this.#seen.has(message.id)) continue;
      this.#seen.add(message.id);
      if (message.direction === "in") fresh++;
    }
    if (away) this.#count += fresh;
    return fresh;
  }

  /** Forgets the unread count, as when the page comes back into view. */
  clear(): void {
    this.#count = 0;
  }
}
