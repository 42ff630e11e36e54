/**
 * The sweep of rows left without their conversation by versions that wrote
 * without checking (see `idb_storage.ts`), fetched only when a page runs it.
 * It imports nothing: the storage hands it the transaction it runs in, so
 * this file is the same whichever page fetches it.
 *
 * @module
 */
import type { Transaction } from "./idb_lite.ts";

/**
 * Deletes every message, file and chunk whose conversation record is gone,
 * in the transaction given (read-write, over every store). It visits one
 * key per conversation and store (the cursor jumps past each conversation's
 * rows), so it costs little when nothing is orphaned.
 */
export async function sweepOrphans({ tx, done }: Transaction): Promise<void> {
  const keys = tx.objectStore("conversations").getAllKeys();
  const kept = new Set(
    await new Promise<IDBValidKey[]>((resolve, reject) => {
      keys.onsuccess = () => resolve(keys.result);
      keys.onerror = () => reject(keys.error);
    }),
  );
  for (const name of ["messages", "files", "chunks"] as const) {
    const store = tx.objectStore(name);
    await new Promise<void>((resolve, reject) => {
      const walk = store.openKeyCursor();
      walk.onerror = () => reject(walk.error);
      walk.onsuccess = () => {
        const cursor = walk.result;
        if (cursor === null) return resolve();
        const conversationId = (cursor.key as IDBValidKey[])[0];
        // An array sorts after every string and number: [id, []] follows all of id's keys.
        const after: IDBValidKey = [conversationId, []];
        // The delete runs before the cursor moves on: requests of a transaction run in order.
        if (!kept.has(conversationId)) store.delete(IDBKeyRange.bound([conversationId], after));
        cursor.continue(after);
      };
    });
  }
  await done;
}
