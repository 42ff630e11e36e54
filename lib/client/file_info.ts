/**
 * Files in a conversation, as pure steps: describing a picked file, cutting it into chunks,
 * and putting received chunks back together with an integrity check.
 *
 * @module
 */
import { bytesEqual, decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import { chunkCount, FILE_CHUNK_BYTES } from "../crypto/payload_limits.ts";
import { formatBytes } from "../i18n/format_sizes.ts";
import { t } from "../i18n/i18n.ts";

export { DEFAULT_MAX_FILE_BYTES } from "./file_limit.ts";

/** What is known of a file message, on both sides. */
export interface FileInfo {
  name: string;
  mime: string;
  size: number;
  /** base64url SHA-256 of the whole file. */
  sha256: string;
  chunks: number;
  /** Receiver only: how many distinct chunks have arrived. */
  received: number;
  /** Set once the transfer was cancelled, by this person ("me") or the other ("peer"). */
  cancelled?: "me" | "peer";
  /** This person's cancel reached the other person, or there was no one to tell. */
  told?: boolean;
}

/** A file whose bytes do not match what its sender announced. */
export class FileIntegrityError extends Error {
  /** What was wrong: the size, or the SHA-256. */
  readonly flaw: "size" | "hash";
  /** The file's name, as announced. */
  readonly fileName: string;
  constructor(message: string, flaw: "size" | "hash", fileName: string) {
    super(message);
    this.name = "FileIntegrityError";
    this.flaw = flaw;
    this.fileName = fileName;
  }
}

/** Describes a picked file; throws a `RangeError` above `maxBytes`, its message for the person. */
export async function describeFile(
  file: Blob,
  name: string,
  maxBytes: number,
): Promise<FileInfo> {
  if (file.size > maxBytes) {
    throw new RangeError(
      t("files.too_large", { name, size: formatBytes(file.size), limit: formatBytes(maxBytes) }),
    );
  }
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return {
    name: safeFileName(name),
    mime: safeMime(file.type),
    size: file.size,
    sha256: encodeBase64Url(new Uint8Array(digest)),
    chunks: chunkCount(file.size),
    received: 0,
  };
}

/** The byte length chunk `index` of a file of `size` bytes has: 0 past its end. */
export function chunkBytes(size: number, index: number): number {
  return Math.max(0, Math.min(FILE_CHUNK_BYTES, size - index * FILE_CHUNK_BYTES));
}

/** The bytes of chunk `index` of `file`. */
export async function readChunk(file: Blob, index: number): Promise<Uint8Array> {
  const start = index * FILE_CHUNK_BYTES;
  return new Uint8Array(await file.slice(start, start + FILE_CHUNK_BYTES).arrayBuffer());
}

/**
 * Joins the chunks of a file, in order, and checks size and SHA-256 against
 * what was announced. Throws `FileIntegrityError`.
 */
export async function assembleFile(chunks: Uint8Array[], info: FileInfo): Promise<Blob> {
  const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  if (chunks.length !== info.chunks || size !== info.size) {
    throw new FileIntegrityError(
      `The file "${info.name}" arrived with the wrong size`,
      "size",
      info.name,
    );
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  if (!bytesEqual(digest, decodeBase64Url(info.sha256))) {
    throw new FileIntegrityError(
      `The file "${info.name}" failed its integrity check`,
      "hash",
      info.name,
    );
  }
  return new Blob([bytes], { type: info.mime });
}

/** Whether the browser may show a file inline as an image. */
export function isPreviewableImage(mime: string): boolean {
  // SVG can carry script; it is offered for download only.
  return /^image\/(png|jpeg|gif|webp|avif|bmp)$/.test(mime);
}

function safeMime(type: string): string {
  return /^[\w.+-]{1,63}\/[\w.+-]{1,63}$/.test(type) ? type : "application/octet-stream";
}

function safeFileName(name: string): string {
  // Control characters, slashes and backslashes could mislead a save dialog.
  const cleaned = Array.from(
    name,
    (c) => c < " " || c === "\u007f" || c === "/" || c === "\\" ? "_" : c,
  )
    .join("");
  const trimmed = cleaned.trim() || "file";
  const encoder = new TextEncoder();
  let result = trimmed;
  while (encoder.encode(result).length > 255) result = result.slice(0, -1);
  return result;
}
