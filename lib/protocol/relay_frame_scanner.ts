/**
 * A scanner for the two frames the relay sees most, `send` and `ack`, in the
 * spellings clients write them from one participant to the other:
 * `JSON.stringify` of the object in the contract's key order, so no
 * whitespace and no escapes:
 *
 * ```text
 * {"type":"send","to":"<to>","frame":{"type":"message","id":"<ULID>","from":"<from>","body":"<base64url>"}}
 * {"type":"send","id":"<ULID>","to":"<to>","body":"<base64url>"}
 * {"type":"ack","id":"<ULID>","to":"<to>"}
 * ```
 *
 * The first `send` spelling, which browsers write, carries the `message`
 * frame the relay passes on, character for character: once it is checked,
 * the relay sends a slice of the text it got, which the runtime passes on
 * without copying it again. The outgoing frames of the other two spellings
 * are built by splicing: the same characters `JSON.stringify` would write.
 *
 * A {@linkcode RelaySpelling} is made for one sender and one recipient, so
 * everything in these spellings but the message ID and the body is known
 * text: it is compared as a whole (a slice of the frame against a string
 * made once, which the runtime compares like `memcmp`; `startsWith` reads
 * character by character, several times slower), the ID is checked
 * character by character, and the body by its length and its canonical
 * base64url (alphabet, length mod 4 and the last character's unused bits).
 * A frame is taken only if `parseClientFrame` accepts it with the same
 * fields; any other text, valid or not, including a frame to anyone else,
 * is left to `parseClientFrame`, which accepts or refuses it as it always
 * did.
 *
 * @module
 */
import { isBase64UrlAlphabetIn } from "../crypto/base64url_alphabet.ts";

const ULID_LENGTH = 26;
const SEND_HEAD = '{"type":"send","id":"';
const ACK_HEAD = '{"type":"ack","id":"';
const MESSAGE_HEAD = '{"type":"message","id":"';
/** What a carried frame has before the `message` frame it carries, the recipient's ID aside. */
const CARRIED_HEAD = '{"type":"send","to":"';
const CARRIED_FRAME_KEY = '","frame":';
/** Where the type of a frame in these spellings begins: after `{"type":"`. */
const TYPE_AT = 9;
const S = 0x73;
const A = 0x61;
const QUOTE = 0x22;
const BRACE = 0x7d;

/** 1 for the characters of a ULID (Crockford's base 32, upper case), 0 for others. */
const IN_ULID: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (const c of "0123456789ABCDEFGHJKMNPQRSTVWXYZ") table[c.charCodeAt(0)] = 1;
  return table;
})();

/** The 6-bit value of each base64url character, for the canonical check. */
const SEXTET: Uint8Array = (() => {
  const table = new Uint8Array(128);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/** Whether the 26 characters of `text` from `at` are a ULID. */
function isUlidAt(text: string, at: number): boolean {
  let outside = 0;
  for (let i = at; i < at + ULID_LENGTH; i++) {
    const code = text.charCodeAt(i);
    outside |= code > 127 ? 1 : IN_ULID[code] ^ 1;
  }
  return outside === 0;
}

/** Whether `text` has `part` at `at`: a slice compared whole, not `startsWith`. */
function hasAt(text: string, part: string, at: number): boolean {
  return text.slice(at, at + part.length) === part;
}

/**
 * Whether the characters of `text` from `start` to `end` are canonical
 * unpadded base64url: the verdict of `checkBase64Url` on them, read in
 * place.
 */
function isCanonicalBase64UrlIn(text: string, start: number, end: number): boolean {
  const tail = (end - start) & 3;
  if (tail === 1 || !isBase64UrlAlphabetIn(text, start, end)) return false;
  if (tail === 0) return true;
  // 2 trailing characters carry 12 bits for 1 byte, 3 carry 18 for 2: the
  // last character's low 4 or 2 bits are unused and must be zero.
  const unused = tail === 2 ? 0b1111 : 0b11;
  return (SEXTET[text.charCodeAt(end - 1)] & unused) === 0;
}

/** One flat string of `parts`: `join` writes one, where `+` makes a rope. */
function flat(...parts: string[]): string {
  return parts.join("");
}

/**
 * The fast spellings of the frames one participant, `from`, sends the other,
 * `to` (both ULIDs, checked by the caller), and the frames the relay passes
 * on for them. The relay makes one per socket, at its first frame once both
 * participants are known.
 *
 * @example
 * ```ts
 * const spelling = new RelaySpelling(from, to);
 * spelling.ack(JSON.stringify({ type: "ack", id, to })); // '{"type":"ack","id":"…","from":"…"}'
 * spelling.ack(JSON.stringify({ type: "ack", id, to: from })); // null: parse it
 * ```
 */
export class RelaySpelling {
  /** The sender. */
  readonly from: string;
  /** The recipient. */
  readonly to: string;
  /** A carried frame up to its `message` frame's ID. */
  #carriedHead: string;
  /** A `message` frame from after its ID to its body. */
  #fromBody: string;
  /** A plain `send` frame from after its ID to its body. */
  #toBody: string;
  /** An `ack` frame from after its ID to its end. */
  #toEnd: string;
  /** The relayed `ack` frame from after its ID to its end. */
  #fromEnd: string;

  constructor(from: string, to: string) {
    this.from = from;
    this.to = to;
    this.#carriedHead = flat(CARRIED_HEAD, to, CARRIED_FRAME_KEY, MESSAGE_HEAD);
    this.#fromBody = flat('","from":"', from, '","body":"');
    this.#toBody = flat('","to":"', to, '","body":"');
    this.#toEnd = flat('","to":"', to, '"}');
    this.#fromEnd = flat('","from":"', from, '"}');
  }

  /**
   * The `message` frame to pass on for `text`, a `send` frame in one of its
   * fast spellings with a body of at most `maxBodyLength` characters and
   * every field valid; null for any other text, to be parsed.
   */
  message(text: string, maxBodyLength: number): string | null {
    if (text.charCodeAt(TYPE_AT) !== S) return null;
    const head = this.#carriedHead;
    if (hasAt(text, head, 0)) {
      const idEnd = head.length + ULID_LENGTH;
      const bodyStart = idEnd + this.#fromBody.length;
      // The carried frame ends with the body's quote and two braces.
      const bodyEnd = text.length - 3;
      if (
        bodyEnd < bodyStart || bodyEnd - bodyStart > maxBodyLength ||
        !isUlidAt(text, head.length) || !hasAt(text, this.#fromBody, idEnd) ||
        text.charCodeAt(bodyEnd) !== QUOTE || text.charCodeAt(bodyEnd + 1) !== BRACE ||
        text.charCodeAt(bodyEnd + 2) !== BRACE || !isCanonicalBase64UrlIn(text, bodyStart, bodyEnd)
      ) {
        return null;
      }
      return text.slice(head.length - MESSAGE_HEAD.length, text.length - 1);
    }
    const idEnd = SEND_HEAD.length + ULID_LENGTH;
    const bodyStart = idEnd + this.#toBody.length;
    const bodyEnd = text.length - 2;
    if (
      bodyEnd < bodyStart || bodyEnd - bodyStart > maxBodyLength || !hasAt(text, SEND_HEAD, 0) ||
      !isUlidAt(text, SEND_HEAD.length) || !hasAt(text, this.#toBody, idEnd) ||
      text.charCodeAt(bodyEnd) !== QUOTE || text.charCodeAt(bodyEnd + 1) !== BRACE ||
      !isCanonicalBase64UrlIn(text, bodyStart, bodyEnd)
    ) {
      return null;
    }
    // The body is spliced in, never serialized again; its quote and brace end both frames.
    return MESSAGE_HEAD + text.slice(SEND_HEAD.length, idEnd) + this.#fromBody +
      text.slice(bodyStart);
  }

  /**
   * The `ack` frame to pass on for `text`, an `ack` frame in its fast
   * spelling with a valid ID; null for any other text, to be parsed.
   */
  ack(text: string): string | null {
    const idEnd = ACK_HEAD.length + ULID_LENGTH;
    if (
      text.charCodeAt(TYPE_AT) !== A || text.length !== idEnd + this.#toEnd.length ||
      !hasAt(text, ACK_HEAD, 0) || !isUlidAt(text, ACK_HEAD.length) ||
      !hasAt(text, this.#toEnd, idEnd)
    ) {
      return null;
    }
    return ACK_HEAD + text.slice(ACK_HEAD.length, idEnd) + this.#fromEnd;
  }
}
