/**
 * New ULIDs for conversations and participants: the time in the first 10
 * characters, then 80 random bits from one call to the system's secure
 * generator (the `ulid` package asks it for one byte per character).
 *
 * @module
 */
import { encodeTime } from "ulid";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A ULID for the time `now` (ms since the epoch). */
export function newUlid(now: number): string {
  const random = crypto.getRandomValues(new Uint8Array(16));
  let text = encodeTime(now, 10);
  // 256 is a multiple of 32: the top five bits of each byte are uniform.
  for (const byte of random) text += CROCKFORD[byte >> 3];
  return text;
}
