/**
 * The end of a conversation as every page needs it: when it counts as near,
 * how much later an extension moves it, and whether a new end is later
 * (see `extension.ts`, fetched when an extension is asked for or comes).
 *
 * @module
 */

/** How long before its end the chat warns that a conversation ends, in ms. */
export const END_WARNING_MS = 65 * 60 * 1000;

/** How much later an extension moves the end, before the server's limit: one day. */
export const EXTENSION_STEP_MS = 24 * 60 * 60 * 1000;

/** What the chat shows of an extension. */
export interface ExtensionView {
  /** The end the other person asked for, waiting for this side's answer. */
  proposed: string | null;
  /** The end this side asked for, waiting for the other person. */
  asked: string | null;
  /** Why the last request was refused, in words. */
  error: string | null;
}

/**
 * The end an extension proposes: one day after the current end, but no later
 * than `maxLifetime` seconds after creation; null when no later end is allowed.
 */
export function proposedEnd(
  conversation: { createdAt: string; expiresAt: string },
  maxLifetime: number,
): string | null {
  const current = Date.parse(conversation.expiresAt);
  const limit = Date.parse(conversation.createdAt) + maxLifetime * 1000;
  const end = Math.min(current + EXTENSION_STEP_MS, limit);
  // Less than a minute more is not worth asking for.
  return end - current >= 60_000 ? new Date(end).toISOString() : null;
}

/** Whether `next` is a valid end later than `current`: the only way an end may move. */
export function isLaterEnd(current: string, next: string): boolean {
  const at = Date.parse(next);
  return Number.isFinite(at) && at > Date.parse(current);
}

/** Whether the end-of-conversation warning shows at `now`. */
export function endIsNear(expiresAt: string, now = Date.now()): boolean {
  const left = Date.parse(expiresAt) - now;
  return left > 0 && left <= END_WARNING_MS;
}
