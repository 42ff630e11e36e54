/**
 * The file side of the conversation store: one `<ID>.json` per conversation
 * in one directory, each written durably and atomically with as few file
 * system calls as that allows.
 *
 * A write is: open a new temporary file in the same directory, write the
 * text, flush its data (`fdatasync`), close, rename it over the final name,
 * and flush the directory (`fsync`), so both the bytes and the rename survive a power
 * cut before the caller answers. A crash leaves the old file or the new one,
 * never a truncated one. The directory is opened once and kept open, and
 * concurrent writes share one directory flush: a flush that starts after a
 * rename covers it, so writers that finished their rename while a flush was
 * running wait for the next one, which covers them all (group commit).
 *
 * @module
 */

/** The suffix of temporary files; {@linkcode RecordFiles.clean} removes them. */
export const TEMP_SUFFIX = ".tmp";

/**
 * What tells one version of a file from another without reading it: its
 * inode, size and modification time. A file replaced from outside (a new
 * inode) or rewritten in place (new size or time) no longer matches.
 */
export type FileIdentity = string;

function identityOf(info: Deno.FileInfo): FileIdentity | null {
  if (info.ino === null || info.mtime === null) return null;
  return `${info.ino}:${info.size}:${info.mtime.getTime()}`;
}

const encoder = new TextEncoder();

/** Reads and writes the conversation files of one directory. */
export class RecordFiles {
  #dir: string;
  /** The open directory: undefined until the first flush, null when it cannot be flushed. */
  #dirHandle: Deno.FsFile | null | undefined;
  /** The directory flush under way, if any. */
  #flushing: Promise<void> | null = null;
  /** The flush queued behind it, shared by every rename made meanwhile. */
  #queued: Promise<void> | null = null;
  #closed = false;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The path of a conversation's file; `id` must already be a checked ULID. */
  path(id: string): string {
    return `${this.#dir}/${id}.json`;
  }

  /** The text of a conversation's file, or null when there is none. */
  async read(id: string): Promise<string | null> {
    try {
      return await Deno.readTextFile(this.path(id));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  }

  /**
   * The identity of a conversation's file as it is now, or null when there
   * is none (or the platform gives no inode). Asks only for the file's
   * metadata, at once: a lookup of a name just written is served from the
   * kernel's caches and, unlike a read, changes nothing (no access time to
   * record), so it never waits for the journal.
   */
  identity(id: string): FileIdentity | null {
    try {
      return identityOf(Deno.statSync(this.path(id)));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  }

  /**
   * Replaces a conversation's file with `text`, durably; resolves once it is
   * on disk, with the new file's {@linkcode FileIdentity} (null where the
   * platform has none). Writing the bytes into the page cache, asking for
   * the identity and closing run at once (each asynchronous file call costs
   * a thread hand-off, about 50 us of CPU); creating and renaming stay
   * asynchronous, because while other writes are being flushed they can
   * wait for the file system's journal, and the relay must not stall with
   * them, as do the two flushes.
   */
  async write(id: string, text: string): Promise<FileIdentity | null> {
    const random = crypto.getRandomValues(new Uint8Array(8));
    const suffix = Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("");
    const temp = `${this.#dir}/.${id}.${suffix}${TEMP_SUFFIX}`;
    const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
    let identity: FileIdentity | null;
    try {
      const bytes = encoder.encode(text);
      for (let written = 0; written < bytes.length;) {
        written += file.writeSync(bytes.subarray(written));
      }
      // The data and the file's size, before the rename makes it the record.
      await file.syncData();
      // The rename keeps the inode, size and modification time.
      identity = identityOf(file.statSync());
    } catch (error) {
      file.close();
      await Deno.remove(temp).catch(() => {});
      throw error;
    }
    file.close();
    await Deno.rename(temp, this.path(id));
    await this.#flushDirectory();
    return identity;
  }

  /** Removes a conversation's file; reports whether there was one. */
  async remove(id: string): Promise<boolean> {
    try {
      await Deno.remove(this.path(id));
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
  }

  /** Closes the directory handle, for shutdown. */
  close(): void {
    this.#closed = true;
    this.#dirHandle?.close();
    this.#dirHandle = null;
  }

  /** Flushes the directory after a rename: joins the next flush that starts after it. */
  #flushDirectory(): Promise<void> {
    if (this.#queued !== null) return this.#queued;
    if (this.#flushing === null) return this.#startFlush();
    // The flush under way may have begun before this rename: queue the next.
    this.#queued = this.#flushing.then(() => {
      this.#queued = null;
      return this.#startFlush();
    });
    return this.#queued;
  }

  #startFlush(): Promise<void> {
    const flush = this.#flushOnce().finally(() => {
      if (this.#flushing === flush) this.#flushing = null;
    });
    this.#flushing = flush;
    return flush;
  }

  async #flushOnce(): Promise<void> {
    if (this.#closed || this.#dirHandle === null) return;
    try {
      if (this.#dirHandle === undefined) {
        const handle = await Deno.open(this.#dir, { read: true });
        // Closed while it opened: nothing may stay open after close().
        if (this.#closed) return handle.close();
        this.#dirHandle = handle;
      }
      await this.#dirHandle.sync();
    } catch {
      // Some platforms (Windows) cannot open or flush a directory.
      this.#dirHandle?.close();
      this.#dirHandle = null;
    }
  }
}
