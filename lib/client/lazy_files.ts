/**
 * File transfer as the client holds it: the same calls as
 * {@linkcode FileTransfer}, with its code (`file_transfer.ts`, the pure file
 * steps of `file_info.ts`, cancels and time left) fetched the first time a
 * file is picked, a chunk or a cancel arrives, a file of the history is
 * still on its way, or a cancel of this side's waits to be told. A
 * conversation of texts never loads it.
 *
 * Every call that needs the code awaits it where it stands (in the state's
 * queue for what arrives), so nothing that comes while it loads is lost or
 * handled out of order; a failed fetch is tried again at the next call.
 *
 * @module
 */
import type { CancelPayload, ChunkPayload } from "../crypto/payload.ts";
import type { FileInfo } from "./file_info.ts";
import type { FileTransfer, FileTransferParts } from "./file_transfer.ts";

/** The cancels of {@linkcode FileTransfer}, fetched on first use. */
export interface LazyFileCancels {
  /** `FileCancels.cancel`. */
  cancel(id: string): Promise<boolean>;
  /** `FileCancels.tell`: loads nothing when no cancel of this side waits to be told. */
  tell(): Promise<void>;
  /** `FileCancels.onReceipt`: nothing to note before the code is loaded (no cancel went out). */
  onReceipt(ids: readonly string[]): Promise<void>;
  /** `FileCancels.receive`. */
  receive(payload: CancelPayload): Promise<boolean>;
}

/** {@linkcode FileTransfer}, fetched on first use. */
export class LazyFileTransfer {
  #parts: FileTransferParts;
  #files: Promise<FileTransfer> | null = null;
  #loaded: FileTransfer | null = null;
  /** The cancels of files on their way, both ways. */
  readonly cancels: LazyFileCancels;

  constructor(parts: FileTransferParts) {
    this.#parts = parts;
    this.cancels = {
      cancel: async (id) => (await this.#load()).cancels.cancel(id),
      tell: async () => {
        const waiting = parts.state.messages.some((m) =>
          m.file?.cancelled === "me" && !m.file.told
        );
        if (waiting || this.#loaded !== null) await (await this.#load()).cancels.tell();
      },
      onReceipt: async (ids) => {
        if (this.#loaded !== null) await this.#loaded.cancels.onReceipt(ids);
      },
      receive: async (payload) => (await this.#load()).cancels.receive(payload),
    };
  }

  #load(): Promise<FileTransfer> {
    this.#files ??= import("./file_transfer.ts").then(
      ({ FileTransfer }) => this.#loaded = new FileTransfer(this.#parts),
      (error) => {
        this.#files = null;
        throw error;
      },
    );
    return this.#files;
  }

  /** Fetches the code, so that a failed fetch comes before anything is taken. */
  async load(): Promise<void> {
    await this.#load();
  }

  /** `FileTransfer.progress`: nothing is being sent before the code is loaded. */
  get progress(): Record<string, number> {
    return this.#loaded?.progress ?? {};
  }

  /** `FileTransfer.prepare`. */
  async prepare(
    file: Blob,
    options: { name: string; maxBytes: number },
  ): Promise<{ id: string; info: FileInfo }> {
    return await (await this.#load()).prepare(file, options);
  }

  /** `FileTransfer.getFile`: a read of the store, which needs none of the code. */
  getFile(id: string): Promise<Blob | undefined> {
    const { state } = this.#parts;
    return state.storage.getFile(state.conversation.id, id);
  }

  /** `FileTransfer.sendChunks`. */
  async sendChunks(id: string, socketNumber: number): Promise<boolean> {
    return await (await this.#load()).sendChunks(id, socketNumber);
  }

  /** `FileTransfer.store`. */
  async store(payload: ChunkPayload): Promise<boolean> {
    return await (await this.#load()).store(payload);
  }

  /** `FileTransfer.count`. */
  async count(fileId: string): Promise<void> {
    await (await this.#load()).count(fileId);
  }

  /** `FileTransfer.resume`: loads nothing when no file is arriving. */
  async resume(): Promise<void> {
    const arriving = this.#parts.state.messages.some((m) =>
      m.direction === "in" && m.status === "receiving" && m.file?.cancelled === undefined
    );
    if (arriving || this.#loaded !== null) await (await this.#load()).resume();
  }

  /** `FileTransfer.inMemory`: none before the code is loaded. */
  get inMemory(): number {
    return this.#loaded?.inMemory ?? 0;
  }

  /** `FileTransfer.forget`: nothing is kept in memory before the code is loaded. */
  forget(fileId: string): void {
    this.#loaded?.forget(fileId);
  }
}
