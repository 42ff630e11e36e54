/**
 * What a file transfer shows while it travels: the percent done and the
 * time left, estimated from the pace since the first chunk seen.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";

/** Chunks done at a moment (milliseconds since the epoch). */
export interface TransferMark {
  at: number;
  done: number;
}

/** Progress is first estimated once it has been watched this long. */
export const ETA_AFTER_MS = 500;

/** The whole percent of `done` out of `total`, 0 to 100. */
export function percentDone(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.floor(done * 100 / total)));
}

/**
 * "12 s left", "3 min left", "1 h 5 min left": the chunks still to go at the
 * pace from `start` to `now`; null while there is too little to tell.
 */
export function timeLeft(start: TransferMark, now: TransferMark, total: number): string | null {
  const elapsed = now.at - start.at;
  const gained = now.done - start.done;
  if (elapsed < ETA_AFTER_MS || gained <= 0 || now.done >= total) return null;
  const seconds = Math.max(1, Math.ceil((total - now.done) * elapsed / gained / 1000));
  if (seconds < 60) return t("files.left_seconds", { seconds });
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return t("files.left_minutes", { minutes });
  return t("files.left_hours", { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}
