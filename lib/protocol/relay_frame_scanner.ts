/**
 * A scanner for the two frames the relay sees most, `send` and `ack`, in the
 * spellings clients write them: `JSON.stringify` of the object in the
 * contract's key order, so no whitespace and no escapes:
 *
 * ```text
 * {"type":"send","to":"<ULID>","frame":{"type":"message","id":"<ULID>","from":"<ULID>","body":"<base64url>"}}
 * {"type":"send","id":"<ULID>","to":"<ULID>","body":"<base64url>"}
 * {"type":"ack","id":"<ULID>","to":"<ULID>"}
 * ```
 *
 * The first `send` spelling, which browsers write, carries the `message`
 * frame the relay passes on, character for character: once its fields are
 * checked and its `from` is the sender, the relay sends a slice of the
 * text it got, which the runtime passes on without copying it again.
 *
 * In these spellings every field is at a fixed place, so a frame is checked
 * without `JSON.parse` and without copying its body: the fixed text, the
 * ULIDs character by character, the body's length and its canonical
 * base64url (alphabet, length mod 4 and the last character's unused bits).
 * The scanner only says yes to frames that `parseClientFrame` accepts with
 * the same fields; any other text, valid or not, is left to
 * `parseClientFrame`, which accepts or refuses it as it always did.
 *
 * The outgoing frames of the other two spellings are built from the
 * incoming text by splicing: the same characters `JSON.stringify` would
 * write.
 *
 * @module
 */
import { isBase64UrlAlphabetIn } from "../crypto/base64url_alphabet.ts";

/** What {@linkcode scanRelayFrame} recognized. */
export const SCANNED_NONE = 0;
/** A `send` frame in the fast spelling, every field checked. */
export const SCANNED_SEND = 1;
/** An `ack` frame in the fast spelling, every field checked. */
export const SCANNED_ACK = 2;
/**
 * A `send` frame carrying its `message` frame, every field checked but
 * whether its `from` is the sender's: {@linkcode carriesFrom} tells.
 */
export const SCANNED_CARRIED = 3;

/** What {@linkcode scanRelayFrame} recognized: one of the `SCANNED_` constants. */
export type Scanned =
  | typeof SCANNED_NONE
  | typeof SCANNED_SEND
  | typeof SCANNED_ACK
  | typeof SCANNED_CARRIED;

const ULID_LENGTH = 26;
const SEND_HEAD = '{"type":"send","id":"';
const ACK_HEAD = '{"type":"ack","id":"';
const TO_KEY = '","to":"';
const BODY_KEY = '","body":"';
const TAIL = '"}';

const SEND_ID = SEND_HEAD.length;
const SEND_TO = SEND_ID + ULID_LENGTH + TO_KEY.length;
const SEND_BODY = SEND_TO + ULID_LENGTH + BODY_KEY.length;
const ACK_ID = ACK_HEAD.length;
const ACK_TO = ACK_ID + ULID_LENGTH + TO_KEY.length;
const ACK_LENGTH = ACK_TO + ULID_LENGTH + TAIL.length;

const CARRIED_HEAD = '{"type":"send","to":"';
const CARRIED_FRAME_KEY = '","frame":';
const MESSAGE_HEAD = '{"type":"message","id":"';
const FROM_KEY = '","from":"';
const CARRIED_TAIL = '"}}';
const CARRIED_TO = CARRIED_HEAD.length;
const CARRIED_FRAME = CARRIED_TO + ULID_LENGTH + CARRIED_FRAME_KEY.length;
const CARRIED_ID = CARRIED_FRAME + MESSAGE_HEAD.length;
const CARRIED_FROM = CARRIED_ID + ULID_LENGTH + FROM_KEY.length;
const CARRIED_BODY = CARRIED_FROM + ULID_LENGTH + BODY_KEY.length;

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

/** Whether `text` has `part` at `at`. */
function hasAt(text: string, part: string, at: number): boolean {
  return text.startsWith(part, at);
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

/**
 * Recognizes a `send` or `ack` frame in a fast spelling with every field
 * valid, a `send` body of at most `maxBodyLength` characters; anything else
 * is {@linkcode SCANNED_NONE}, to be parsed by `parseClientFrame`. The
 * fields are then read with {@linkcode scannedTo} and {@linkcode carriesFrom},
 * and the frames to pass on are {@linkcode carriedFrame} or built with
 * {@linkcode messageFrameFromSend} and {@linkcode ackFrameFromAck}.
 *
 * @example
 * ```ts
 * const text = JSON.stringify({ type: "ack", id: messageId, to: peerId });
 * scanRelayFrame(text, 65536); // SCANNED_ACK
 * scanRelayFrame(text.replace(":", ": "), 65536); // SCANNED_NONE: parse it
 * ```
 */
export function scanRelayFrame(text: string, maxBodyLength: number): Scanned {
  if (hasAt(text, CARRIED_HEAD, 0)) {
    const bodyEnd = text.length - CARRIED_TAIL.length;
    if (
      bodyEnd < CARRIED_BODY || bodyEnd - CARRIED_BODY > maxBodyLength ||
      !isUlidAt(text, CARRIED_TO) || !hasAt(text, CARRIED_FRAME_KEY, CARRIED_TO + ULID_LENGTH) ||
      !hasAt(text, MESSAGE_HEAD, CARRIED_FRAME) || !isUlidAt(text, CARRIED_ID) ||
      !hasAt(text, FROM_KEY, CARRIED_ID + ULID_LENGTH) || !isUlidAt(text, CARRIED_FROM) ||
      !hasAt(text, BODY_KEY, CARRIED_FROM + ULID_LENGTH) || !hasAt(text, CARRIED_TAIL, bodyEnd) ||
      !isCanonicalBase64UrlIn(text, CARRIED_BODY, bodyEnd)
    ) {
      return SCANNED_NONE;
    }
    return SCANNED_CARRIED;
  }
  if (hasAt(text, SEND_HEAD, 0)) {
    const bodyEnd = text.length - TAIL.length;
    if (
      bodyEnd < SEND_BODY || bodyEnd - SEND_BODY > maxBodyLength ||
      !isUlidAt(text, SEND_ID) || !hasAt(text, TO_KEY, SEND_ID + ULID_LENGTH) ||
      !isUlidAt(text, SEND_TO) || !hasAt(text, BODY_KEY, SEND_TO + ULID_LENGTH) ||
      !hasAt(text, TAIL, bodyEnd) || !isCanonicalBase64UrlIn(text, SEND_BODY, bodyEnd)
    ) {
      return SCANNED_NONE;
    }
    return SCANNED_SEND;
  }
  if (
    text.length === ACK_LENGTH && hasAt(text, ACK_HEAD, 0) && isUlidAt(text, ACK_ID) &&
    hasAt(text, TO_KEY, ACK_ID + ULID_LENGTH) && isUlidAt(text, ACK_TO) &&
    hasAt(text, TAIL, ACK_TO + ULID_LENGTH)
  ) {
    return SCANNED_ACK;
  }
  return SCANNED_NONE;
}

/** The recipient (`to`) of a frame `scanRelayFrame` recognized as `scanned`. */
export function scannedTo(text: string, scanned: Exclude<Scanned, typeof SCANNED_NONE>): string {
  const at = scanned === SCANNED_SEND ? SEND_TO : scanned === SCANNED_ACK ? ACK_TO : CARRIED_TO;
  return text.slice(at, at + ULID_LENGTH);
}

/** Whether the frame carried by a {@linkcode SCANNED_CARRIED} frame is `from` the ULID `from`. */
export function carriesFrom(text: string, from: string): boolean {
  return from.length === ULID_LENGTH && hasAt(text, from, CARRIED_FROM);
}

/**
 * The `message` frame a {@linkcode SCANNED_CARRIED} frame carries, to pass
 * on as it is once {@linkcode carriesFrom} the sender: a slice of `text`,
 * the characters `JSON.stringify({ type: "message", id, from, body })`
 * writes.
 */
export function carriedFrame(text: string): string {
  return text.slice(CARRIED_FRAME, text.length - 1);
}

/**
 * The `message` frame for a scanned `send` frame from `from`, as
 * `JSON.stringify({ type: "message", id, from, body })` writes it; the body
 * is spliced in, never serialized again. `from` must be a checked ULID.
 */
export function messageFrameFromSend(text: string, from: string): string {
  // The send frame's tail from its body on is the body and `"}`, as here.
  return '{"type":"message","id":"' + text.slice(SEND_ID, SEND_ID + ULID_LENGTH) +
    '","from":"' + from + BODY_KEY + text.slice(SEND_BODY);
}

/**
 * The `ack` frame for a scanned `ack` frame from `from`, as
 * `JSON.stringify({ type: "ack", id, from })` writes it. `from` must be a
 * checked ULID.
 */
export function ackFrameFromAck(text: string, from: string): string {
  return ACK_HEAD + text.slice(ACK_ID, ACK_ID + ULID_LENGTH) + '","from":"' + from + TAIL;
}
