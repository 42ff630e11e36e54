/**
 * Message IDs made in the browser: ULIDs that sort in the order they were
 * made, as the `ulid` package's `monotonicFactory` makes them, in a few lines
 * instead of that package on the chat page.
 *
 * @module
 */

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RANDOM_DIGITS = 16;
const TIME_DIGITS = 10;

/**
 * Returns a function that makes ULIDs: 10 Crockford base32 digits of the
 * millisecond time, then 16 random ones. Within one millisecond, or when
 * `now` goes back, the next ULID keeps the last time and adds one to the last
 * random part, so every ULID sorts after the one before; that throws in the
 * (2^-80 likely) case the random part is all Z already.
 */
export function monotonicUlid(now: () => number = Date.now): () => string {
  let lastTime = -1;
  let digits: number[] = [];
  return () => {
    const time = now();
    if (time <= lastTime) {
      let i = RANDOM_DIGITS - 1;
      while (i >= 0 && digits[i] === 31) digits[i--] = 0;
      if (i < 0) throw new RangeError("Cannot make a ULID: the random part would overflow");
      digits[i]++;
    } else {
      lastTime = time;
      // 256 is a multiple of 32: each digit is uniform.
      digits = Array.from(crypto.getRandomValues(new Uint8Array(RANDOM_DIGITS)), (b) => b & 31);
    }
    let head = "";
    for (let i = 0, t = lastTime; i < TIME_DIGITS; i++, t = Math.floor(t / 32)) {
      head = ALPHABET[t % 32] + head;
    }
    return head + digits.map((digit) => ALPHABET[digit]).join("");
  };
}
