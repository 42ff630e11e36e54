/**
 * The skipped message keys of the Double Ratchet (Signal specification,
 * revision 1, §3.2 and §3.5): the keys of messages that have not arrived yet,
 * derived ahead so those messages still open when they come out of order,
 * bounded so a forged header cannot make a receiver derive or keep without
 * limit.
 *
 * @module
 */

import { nextChainKey } from "./chain_hmac.ts";
import { bytesEqual, encodeBase64Url } from "./encoding.ts";
import { RatchetError } from "./ratchet_error.ts";
import type { RatchetHeader } from "./ratchet_header.ts";
import { kdfChainKey } from "./ratchet_kdf.ts";

/** A message key kept for a message that has not arrived yet. */
export interface SkippedKey {
  /** The sender's ratchet public key of that chain, base64url. */
  dh: string;
  /** The message number. */
  n: number;
  /** The 32-byte message key. */
  mk: Uint8Array;
}

/** The receiving side of a ratchet state, which skipping reads and moves on. */
export interface ReceivingChain {
  /** The peer's current ratchet public key, null before the first message. */
  dhr: Uint8Array | null;
  /** The receiving chain key, null until the first message arrives. */
  ckr: Uint8Array | null;
  /** The next message number expected in the receiving chain. */
  nr: number;
  /** Keys of skipped messages, oldest first. */
  skipped: SkippedKey[];
}

/**
 * The most message keys one incoming message may make this side derive
 * ahead, over both chains it touches (Signal's limit).
 */
export const MAX_SKIP = 25_000;

/** The most skipped message keys kept; the oldest are evicted first. */
export const MAX_SKIPPED_KEYS = 2000;

/**
 * Removes and returns the kept key of the message `header` names, or
 * undefined if none is kept. Removed so that a replay finds no key; the
 * caller keeps the changed state only if the message then opens.
 */
export function takeSkippedKey(
  chain: ReceivingChain,
  header: Pick<RatchetHeader, "dh" | "n">,
): Uint8Array | undefined {
  const dh = encodeBase64Url(header.dh);
  const index = chain.skipped.findIndex((key) => key.dh === dh && key.n === header.n);
  if (index === -1) return undefined;
  const [key] = chain.skipped.splice(index, 1);
  return key.mk;
}

/** Tells whether `dh` starts a new receiving chain: a ratchet step of the peer's. */
export function isNewChain(chain: ReceivingChain, dh: Uint8Array): boolean {
  return chain.dhr === null || !bytesEqual(dh, chain.dhr);
}

/**
 * Throws `RatchetError` if opening the message of `header` would derive more
 * than {@linkcode MAX_SKIP} keys ahead. Counted before any work, over both
 * chains together, so a forged header cannot make this side derive MAX_SKIP
 * keys on each of two chains before the AEAD check fails.
 */
export function checkSkipLimit(
  chain: ReceivingChain,
  header: Pick<RatchetHeader, "dh" | "pn" | "n">,
): void {
  const skips = isNewChain(chain, header.dh)
    ? Math.max(0, header.pn - chain.nr) + header.n
    : header.n - chain.nr;
  if (skips > MAX_SKIP) {
    throw new RatchetError(
      `Cannot decrypt message ${header.n}: it would skip more than ${MAX_SKIP} messages`,
    );
  }
}

/**
 * Steps the receiving chain on to message number `until`, keeping the key
 * of each message passed over, then evicts the oldest keys beyond
 * {@linkcode MAX_SKIPPED_KEYS}. A key that eviction would drop at once is
 * never made: the chain steps over those messages with its next key alone.
 * Changes `chain` in place.
 */
export function skipMessageKeys(chain: ReceivingChain, until: number): void {
  if (chain.nr + MAX_SKIP < until) {
    throw new RatchetError(
      `Cannot decrypt message ${until}: it would skip more than ${MAX_SKIP} messages`,
    );
  }
  if (chain.ckr === null || chain.dhr === null) return;
  const dh = encodeBase64Url(chain.dhr);
  const firstKept = Math.max(chain.nr, until - MAX_SKIPPED_KEYS);
  while (chain.nr < firstKept) {
    chain.ckr = nextChainKey(chain.ckr);
    chain.nr += 1;
  }
  while (chain.nr < until) {
    const { ck, mk } = kdfChainKey(chain.ckr);
    chain.skipped.push({ dh, n: chain.nr, mk });
    chain.ckr = ck;
    chain.nr += 1;
  }
  if (chain.skipped.length > MAX_SKIPPED_KEYS) {
    chain.skipped.splice(0, chain.skipped.length - MAX_SKIPPED_KEYS);
  }
}
