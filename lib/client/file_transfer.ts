/**
 * Files in both directions. Sending: the file's bytes wait in this browser
 * and go out as paced, sealed chunks once its announcement has been sent.
 * Receiving: chunks are kept only for a file announced and accepted, at
 * their place and size, and the file is put together and checked when
 * whole. The pure steps are in `file_info.ts`.
 *
 * @module
 */
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import type { ChunkPayload } from "../crypto/payload.ts";
import { FILE_CHUNK_BYTES } from "../crypto/payload_limits.ts";
import { t } from "../i18n/i18n.ts";
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";
import type { Courier } from "./courier.ts";
import { FileCancels } from "./file_cancel.ts";
import {
  assembleFile,
  chunkBytes,
  describeFile,
  type FileInfo,
  FileIntegrityError,
  readChunk,
} from "./file_info.ts";
import { sendRefusal } from "./file_refusal.ts";
import type { Receipts } from "./receipts.ts";
import { percentDone } from "./transfer_eta.ts";
import type { StoredMessage } from "./storage.ts";

/** The parts file transfer works with. */
export interface FileTransferParts {
  state: ClientState;
  connection: Connection;
  courier: Courier;
  receipts: Receipts;
}

/** The files of one conversation on their way in and out. */
export class FileTransfer {
  #parts: FileTransferParts;
  /** Outgoing files whose chunks are going out: ID → chunks sent. */
  #sending = new Map<string, number>();
  /** Incoming files counted from the chunk store since this client opened. */
  #counted = new Set<string>();
  /**
   * Incoming files put together as their chunks are kept, so a whole file is
   * not read back from the chunk store: ID → bytes and the chunks in them.
   */
  #assembling = new Map<string, { bytes: Uint8Array<ArrayBuffer>; filled: Set<number> }>();
  /** Cancels of files on their way, both ways. */
  readonly cancels: FileCancels;

  constructor(parts: FileTransferParts) {
    this.#parts = parts;
    this.cancels = new FileCancels({ ...parts, forget: (id) => this.forget(id) });
  }

  /** Outgoing files being sent: message ID → chunks sent so far. */
  get progress(): Record<string, number> {
    return Object.fromEntries(this.#sending);
  }

  /**
   * Describes and keeps a file to send; throws a `RangeError` above
   * `maxBytes`. Returns the ID of its message and what to announce.
   */
  async prepare(file: Blob, options: { name: string; maxBytes: number }) {
    const info = await describeFile(file, options.name, options.maxBytes);
    const { state } = this.#parts;
    const id = state.ulid();
    await state.storage.putFile(state.conversation.id, id, file);
    return { id, info };
  }

  /** The bytes of a sent or fully received file. */
  getFile(id: string): Promise<Blob | undefined> {
    const { state } = this.#parts;
    return state.storage.getFile(state.conversation.id, id);
  }

  /**
   * Sends the chunks of a file in small batches, paced by the chunk budget
   * below the relay's rate limit, each batch through the queue so that
   * receiving goes on meanwhile. While the bound on frames in flight holds
   * (or a session reset is under way) it waits, and goes on when a receipt
   * lifts it. Resolves false when a lost connection stopped it; the
   * receiver skips the chunks it has when it starts again. A cancelled
   * file stops at the next batch.
   */
  async sendChunks(id: string, socketNumber: number): Promise<boolean> {
    if (this.#sending.has(id)) return true;
    const { state, connection, courier } = this.#parts;
    this.#sending.set(id, 0);
    try {
      const file = await this.getFile(id);
      const message = state.find(id);
      if (file === undefined || message?.file == null) return true;
      const { chunks } = message.file;
      let index = 0;
      while (index < chunks) {
        await new Promise((resolve) => setTimeout(resolve, connection.chunkWaitMs()));
        // Read before the queue, so receiving is not held up by the disk.
        const batch: ChunkPayload[] = [];
        for (let i = index; i < Math.min(index + CHUNK_BATCH, chunks); i++) {
          const data = encodeBase64Url(await readChunk(file, i));
          batch.push({
            v: 2,
            type: "chunk",
            id: state.ulid(),
            file: id,
            index: i,
            data,
            sentAt: 0,
          });
        }
        const step = await state.serial(async () => {
          if (state.find(id)?.file?.cancelled !== undefined) return "cancelled";
          // The other person refused the file: nothing more to send.
          if (state.find(id)?.status === "refused") return "refused";
          if (
            connection.socketNumber !== socketNumber || !connection.peerReady || state.paused
          ) return "stop";
          if (!courier.canSeal) return "held";
          const sentAt = Date.now();
          const sent = await courier.sendChunks(batch.map((chunk) => ({ ...chunk, sentAt })));
          index += sent;
          return sent > 0 ? "sent" : courier.full ? "held" : "wait";
        });
        if (step === "cancelled") return true;
        if (step === "stop") return false;
        if (step === "refused") return true;
        if (step === "held") await courier.whenOpen();
        if (step === "sent") {
          this.#sending.set(id, index);
          state.changed();
        }
      }
      return true;
    } finally {
      this.#sending.delete(id);
      state.changed();
    }
  }

  /**
   * Keeps a received chunk if it belongs to a file announced and accepted,
   * at its place and size: nothing else a peer sends can fill this
   * browser's storage. Reports whether the chunk is kept (now or before).
   */
  async store(payload: ChunkPayload): Promise<boolean> {
    const { state } = this.#parts;
    const file = state.find(payload.file);
    const data = decodeBase64Url(payload.data);
    const fits = file?.direction === "in" && file.status === "receiving" && file.file !== null &&
      file.file.cancelled === undefined && payload.index < file.file.chunks &&
      data.length === chunkBytes(file.file.size, payload.index);
    if (!fits) {
      // Cancelled, refused or whole: its bytes in memory are not needed.
      if (file?.status !== "receiving" || file.file?.cancelled !== undefined) {
        this.forget(payload.file);
      }
      return false;
    }
    let kept: boolean;
    try {
      kept = await state.storage.putChunk(state.conversation.id, payload.file, payload.index, data);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      // No room for it in this browser: refused, and the sender is told.
      this.forget(payload.file);
      await state.storage.deleteChunks(state.conversation.id, payload.file);
      await state.update(file, { status: "refused", refusal: "no_space" });
      await sendRefusal(state, this.#parts.courier, payload.file, "no_space");
      return false;
    }
    if (kept) {
      this.#place(payload.file, file.file!.size, payload.index, data);
      // A new chunk: counted here, so the store is counted only now and then.
      const info = state.find(payload.file)!.file!;
      const received = info.received + 1;
      // The page is drawn again when the percent moves, not for every chunk.
      const quiet = percentDone(received, info.chunks) === percentDone(info.received, info.chunks);
      state.show(file, { file: { ...info, received } }, quiet);
    }
    return true;
  }

  /**
   * Counts the kept chunks of an incoming file from the chunk store, so a
   * count lost with an interrupted write is found again; a file whose
   * chunks are all here is completed.
   */
  async count(fileId: string): Promise<void> {
    const { state } = this.#parts;
    const message = state.find(fileId);
    if (
      message?.direction !== "in" || message.file === null || message.status !== "receiving" ||
      message.file.cancelled !== undefined
    ) return;
    // Once counted from the store, the count kept in memory by store() is
    // exact (a chunk kept before is not counted again): the store is asked
    // again only when the file seems whole.
    if (this.#counted.has(fileId) && message.file.received < message.file.chunks) return;
    const received = await state.storage.countChunks(state.conversation.id, fileId);
    this.#counted.add(fileId);
    // Shown, not stored: the chunk store is counted again as the conversation opens.
    if (received !== message.file.received) {
      state.show(message, { file: { ...message.file, received } });
    }
    if (received >= message.file.chunks) await this.#complete(state.find(message.id)!);
  }

  /** Counts every file still arriving, as a conversation opens. */
  async resume(): Promise<void> {
    const { state } = this.#parts;
    const arriving = state.messages.filter((m) =>
      m.direction === "in" && m.status === "receiving" && m.file?.cancelled === undefined
    );
    for (const message of arriving) await this.count(message.id);
  }

  /** How many incoming files have bytes held in memory while they arrive. */
  get inMemory(): number {
    return this.#assembling.size;
  }

  /** Lets go of the bytes in memory of an incoming file no longer arriving. */
  forget(fileId: string): void {
    this.#assembling.delete(fileId);
  }

  /** Copies a kept chunk into its file's bytes in memory, at its place. */
  #place(fileId: string, size: number, index: number, data: Uint8Array): void {
    let file = this.#assembling.get(fileId);
    if (file === undefined) {
      file = { bytes: new Uint8Array(size), filled: new Set() };
      this.#assembling.set(fileId, file);
    }
    file.bytes.set(data, index * FILE_CHUNK_BYTES);
    file.filled.add(index);
  }

  /**
   * The chunks of a whole file: from memory when every one was kept since
   * this client opened, else read back from the chunk store.
   */
  async #chunksOf(message: StoredMessage): Promise<Uint8Array[]> {
    const inMemory = this.#assembling.get(message.id);
    this.#assembling.delete(message.id);
    const { chunks } = message.file!;
    if (inMemory?.filled.size === chunks) {
      const { bytes } = inMemory;
      return Array.from(
        { length: chunks },
        (_, i) => bytes.subarray(i * FILE_CHUNK_BYTES, (i + 1) * FILE_CHUNK_BYTES),
      );
    }
    const { state } = this.#parts;
    return await state.storage.getChunks(state.conversation.id, message.id);
  }

  /** Puts a fully arrived file together, checks it, and acknowledges it. */
  async #complete(message: StoredMessage): Promise<void> {
    const info: FileInfo = message.file!;
    if (message.status !== "receiving" || info.received < info.chunks) return;
    const { state, receipts } = this.#parts;
    const { storage } = state;
    const conversationId = state.conversation.id;
    try {
      const blob = await assembleFile(await this.#chunksOf(message), info);
      await storage.putFile(conversationId, message.id, blob);
      // Marked whole before its chunks go: if the browser dies in between, the
      // chunks are still there to count and complete it when it opens again.
      await state.update(message, { status: "received" });
      await storage.deleteChunks(conversationId, message.id);
      receipts.add(message.id);
    } catch (error) {
      if (!(error instanceof FileIntegrityError)) throw error;
      // Start over: the sender resends when no receipt comes.
      await storage.deleteChunks(conversationId, message.id);
      await state.update(message, { file: { ...info, received: 0 } });
      const name = error.fileName;
      state.report(
        "message",
        error.flaw === "size"
          ? t("files.discarded_size", { name })
          : t("files.discarded_hash", { name }),
      );
    }
  }
}

/** Whether a storage write failed for want of room. */
function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "QuotaExceededError";
}

/** Chunks sealed together under one save of the ratchet. */
const CHUNK_BATCH = 8;
