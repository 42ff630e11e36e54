/**
 * IndexedDB in promises, as much of it as `idb_storage.ts` uses: a request's
 * result, a transaction's commit, and opening a database with its upgrade.
 * (The `idb` package did this with more than the chat page needs: a fifth of
 * the page's storage code.)
 *
 * A transaction stays open while each step asks for its next request within
 * the promise callbacks of the last, as IndexedDB requires.
 *
 * @module
 */

/** Resolves with a request's result; rejects with its error. */
export function result<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** A transaction and the promise of its commit. */
export interface Transaction {
  tx: IDBTransaction;
  /** Resolves once the transaction committed; rejects when it fails or is aborted. */
  done: Promise<void>;
}

/** Starts a transaction; its `done` is watched from the start, so no end is missed. */
export function begin(
  db: IDBDatabase,
  stores: string | string[],
  mode: IDBTransactionMode,
  options?: IDBTransactionOptions,
): Transaction {
  const tx = db.transaction(stores, mode, options);
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    const fail = () => reject(tx.error ?? new DOMException("AbortError", "AbortError"));
    tx.onerror = fail;
    tx.onabort = fail;
  });
  // A step that throws leaves `done` unawaited: its failure is the step's.
  done.catch(() => {});
  return { tx, done };
}

/** Runs one read request on `store` in a transaction of its own. */
export async function read<T>(
  db: IDBDatabase | Promise<IDBDatabase>,
  store: string,
  ask: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  return await result(ask((await db).transaction(store, "readonly").objectStore(store)));
}

/**
 * Opens database `name` at `version`; `upgrade` creates what versions after
 * `oldVersion` added, in the upgrade's own transaction.
 */
export function openDatabase(
  name: string,
  version: number,
  upgrade: (db: IDBDatabase, oldVersion: number) => void,
): Promise<IDBDatabase> {
  const request = indexedDB.open(name, version);
  request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
  return result(request);
}
