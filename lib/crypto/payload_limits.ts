/**
 * The limits of the payloads (`payload.ts`): what the page needs to know
 * before it seals or opens anything, kept apart from the payloads' checks,
 * which come with the code that seals and opens (`lib/client/channel_code.ts`).
 *
 * @module
 */

/** The largest text in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 64 * 1024;

/** Bytes of file data in one chunk, sized so a chunk's frame stays under 128 KiB. */
export const FILE_CHUNK_BYTES = 48 * 1024;

/** The largest file the protocol describes; each browser sets its own, lower cap. */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

/** The disappearing-message timers, in seconds: off, 5 minutes, 1 hour, 1 day, 1 week. */
export const TIMER_CHOICES: readonly number[] = [0, 300, 3600, 86400, 604800];

/** The most message IDs one receipt may acknowledge. */
export const MAX_RECEIPT_IDS = 100;

/** How many chunks a file of `size` bytes is sent in. */
export function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / FILE_CHUNK_BYTES));
}
