/**
 * Deleting conversations from this browser while a tab may have one open.
 * A chat tab that keeps running a deleted conversation would write back
 * every message that arrives, where no page shows or removes it. So the
 * deleting page first stops every such tab, and only then deletes:
 *
 * 1. it tells every other page of this site, on a `BroadcastChannel`, which
 *    conversations it is deleting; a chat tab running one stops its client
 *    and says the conversation was deleted in another tab;
 * 2. it takes each conversation's tab lock (`tab_lock.ts`), stealing it from
 *    the tab that holds it, whose client then stops whether or not the
 *    message reached it;
 * 3. it deletes, and lets the locks go.
 *
 * A write that still comes late is refused by storage, which checks in the
 * write's own transaction that the conversation exists.
 *
 * @module
 */
import { acquireTabLock, type TabLock } from "./tab_lock.ts";

const CHANNEL = "the-anonymous:deleting";

/** What the deleting page posts on the channel. */
interface DeletingNotice {
  deleting: string[];
}

/**
 * Stops every tab that runs one of `ids`, then runs `remove` (which deletes
 * them) while holding their tab locks; rejects as `remove` does.
 */
export async function removeConversations(
  ids: readonly string[],
  remove: () => Promise<void>,
): Promise<void> {
  const channel = new BroadcastChannel(CHANNEL);
  const locks: TabLock[] = [];
  try {
    channel.postMessage({ deleting: [...ids] } satisfies DeletingNotice);
    for (const id of ids) {
      const lock = await acquireTabLock(id, { steal: true });
      if (lock !== null) locks.push(lock);
    }
    await remove();
  } finally {
    for (const lock of locks) lock.release();
    channel.close();
  }
}

/**
 * Calls `listener` with the IDs another page of this site is deleting.
 * Returns the function that stops listening.
 */
export function onConversationsDeleting(listener: (ids: string[]) => void): () => void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<Partial<DeletingNotice>>) => {
    const ids = event.data?.deleting;
    if (Array.isArray(ids)) listener(ids.filter((id) => typeof id === "string"));
  };
  return () => channel.close();
}
