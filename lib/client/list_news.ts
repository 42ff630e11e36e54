/**
 * News for the home list between tabs of this browser: a tab with a
 * conversation open says "conversation X changed" (a new message, a read,
 * an end) on a `BroadcastChannel`, and the home page reads its list again.
 * Only the conversation's ID goes on the channel, which never leaves this
 * browser (same origin, same profile); names need no news of their own, as
 * their `localStorage` key raises a `storage` event in the other tabs.
 *
 * @module
 */
import { NAMES_KEY } from "./local_names.ts";

/** The channel's name. */
export const LIST_CHANNEL = "anon:list";

/** A tab's changes are told at most this often, the last one always. */
export const LIST_NEWS_DELAY_MS = 250;

/** Tells other tabs of this browser that conversations changed, a few times a second at most. */
export class ListNews {
  #channel: BroadcastChannel | null;
  #pending = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(channel: BroadcastChannel | null = openChannel()) {
    this.#channel = channel;
  }

  /** Notes that conversation `id` changed; told soon, with others that change meanwhile. */
  changed(id: string): void {
    if (this.#channel === null) return;
    this.#pending.add(id);
    this.#timer ??= setTimeout(() => this.#tell(), LIST_NEWS_DELAY_MS);
  }

  /** Tells what is pending now and stops. */
  close(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#tell();
    }
    this.#channel?.close();
    this.#channel = null;
  }

  #tell(): void {
    this.#timer = undefined;
    const ids = [...this.#pending];
    this.#pending.clear();
    if (ids.length > 0) this.#channel?.postMessage({ ids });
  }
}

/**
 * Calls `onNews` when another tab of this browser changed a conversation or
 * a name; returns what stops listening.
 */
export function listenForListNews(
  onNews: () => void,
  target: EventTarget = globalThis,
): () => void {
  const channel = openChannel();
  const onMessage = () => onNews();
  const onStorage = (event: Event) => {
    const key = (event as StorageEvent).key;
    // null: the whole storage was cleared ("Delete everything").
    if (key === null || key === NAMES_KEY) onNews();
  };
  channel?.addEventListener("message", onMessage);
  target.addEventListener("storage", onStorage);
  return () => {
    channel?.close();
    target.removeEventListener("storage", onStorage);
  };
}

/** The channel between this browser's tabs; none outside a page (Deno's own channel is unstable). */
function openChannel(): BroadcastChannel | null {
  return typeof BroadcastChannel === "function" && typeof document !== "undefined"
    ? new BroadcastChannel(LIST_CHANNEL)
    : null;
}
