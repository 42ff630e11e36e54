/**
 * End-to-end encryption of call media frames, on top of DTLS-SRTP (which
 * only protects each hop). Each side draws a fresh random AES-256-GCM key per
 * call for the frames it sends and gives it to the other side inside the
 * Double Ratchet session, so the relay, a TURN server and anything between
 * the two browsers see only ciphertext, and the post-quantum handshake
 * protects the media too.
 *
 * A sealed frame is
 *
 *     clear header (h bytes) ‖ AES-GCM(ciphertext ‖ 16-byte tag) ‖ counter (8) ‖ h (1)
 *
 * - The nonce is the stream's number (4 bytes big-endian:
 *   {@linkcode FRAME_STREAMS}, 1 for audio, 2 for video) then the 64-bit
 *   big-endian frame counter, which starts at 0 for each stream and only goes
 *   up. The key is new for every call and direction and never stored, the
 *   audio and the video sender of one direction share it but never a stream
 *   number, and a stream has one sealer per call (`call_frames.ts` refuses a
 *   second): so no (key, nonce) pair can repeat, not even after a reload or a
 *   restored state. The opener of a stream uses the same number, so a frame
 *   moved from one stream to the other fails its tag.
 * - The first `h` bytes stay in the clear because the RTP packetizer reads
 *   them (a VP8 key frame's 10-byte header, 3 bytes of a delta frame, the
 *   Opus TOC byte). They, the counter and `h` are the additional
 *   authenticated data: altering any of them fails the tag.
 * - The opener refuses a counter it has already seen within its window of
 *   {@linkcode REPLAY_WINDOW} frames, and anything older than the window.
 *
 * @module
 */

/** Bytes of the AES-256-GCM frame key. */
export const FRAME_KEY_BYTES = 32;

/** Bytes added to each frame: the tag, the counter and the header length. */
export const FRAME_OVERHEAD = 16 + 8 + 1;

/** How many recent counters the opener remembers. */
export const REPLAY_WINDOW = 1024;

const TRAILER_BYTES = 9;

/** The stream number of each kind of frame, the first four bytes of its nonces. */
export const FRAME_STREAMS = { audio: 1, video: 2 } as const;

/** The kinds of frame a call carries, each on its own stream. */
export type FrameKind = keyof typeof FRAME_STREAMS;

/** Imports a raw frame key for AES-GCM. */
export async function importFrameKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  if (raw.length !== FRAME_KEY_BYTES) {
    throw new RangeError(
      `Cannot import frame key: expected ${FRAME_KEY_BYTES} bytes, got ${raw.length}`,
    );
  }
  return await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

function nonceOf(stream: number, counter: bigint): Uint8Array<ArrayBuffer> {
  const nonce = new Uint8Array(12);
  const view = new DataView(nonce.buffer);
  view.setUint32(0, stream);
  view.setBigUint64(4, counter);
  return nonce;
}

function trailerOf(counter: bigint, clearBytes: number): Uint8Array<ArrayBuffer> {
  const trailer = new Uint8Array(TRAILER_BYTES);
  new DataView(trailer.buffer).setBigUint64(0, counter);
  trailer[8] = clearBytes;
  return trailer;
}

function aadOf(header: Uint8Array, trailer: Uint8Array): Uint8Array<ArrayBuffer> {
  const aad = new Uint8Array(header.length + trailer.length);
  aad.set(header);
  aad.set(trailer, header.length);
  return aad;
}

/** Seals the frames of one stream (audio or video) of one direction of one call. */
export class FrameSealer {
  #key: CryptoKey;
  #stream: number;
  #counter = 0n;

  /** `key`: this direction's frame key; `kind`: the stream this sealer alone seals. */
  constructor(key: CryptoKey, kind: FrameKind) {
    this.#key = key;
    this.#stream = FRAME_STREAMS[kind];
  }

  /** Frames sealed so far, which is the counter of the next one. */
  get counter(): bigint {
    return this.#counter;
  }

  /**
   * Seals one frame, leaving its first `clearBytes` (at most 255, and at
   * most the frame's length) in the clear but authenticated.
   */
  async seal(frame: Uint8Array, clearBytes: number): Promise<Uint8Array<ArrayBuffer>> {
    const clear = Math.min(clearBytes, frame.length, 255);
    // Taken before any await, so two frames sealed at once never share it.
    const counter = this.#counter++;
    const header = frame.subarray(0, clear);
    const trailer = trailerOf(counter, clear);
    const sealed = new Uint8Array(
      await crypto.subtle.encrypt(
        {
          name: "AES-GCM",
          iv: nonceOf(this.#stream, counter),
          additionalData: aadOf(header, trailer),
        },
        this.#key,
        frame.slice(clear),
      ),
    );
    const out = new Uint8Array(clear + sealed.length + TRAILER_BYTES);
    out.set(header);
    out.set(sealed, clear);
    out.set(trailer, clear + sealed.length);
    return out;
  }
}

/**
 * Opens the frames of one stream (audio or video) of one direction of one
 * call; refuses tampered and replayed ones, and those of the other stream.
 */
export class FrameOpener {
  #key: CryptoKey;
  #stream: number;
  #highest = -1n;
  #seen = new Set<bigint>();

  /** `key`: the peer's frame key; `kind`: the stream this opener opens. */
  constructor(key: CryptoKey, kind: FrameKind) {
    this.#key = key;
    this.#stream = FRAME_STREAMS[kind];
  }

  /** The frame, or null when it is malformed, fails its tag, or was seen before. */
  async open(sealed: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer> | null> {
    if (sealed.length < FRAME_OVERHEAD) return null;
    const trailer = sealed.subarray(sealed.length - TRAILER_BYTES);
    const clear = trailer[8];
    if (clear > sealed.length - FRAME_OVERHEAD) return null;
    const counter = new DataView(trailer.buffer, trailer.byteOffset, 8).getBigUint64(0);
    if (this.#seen.has(counter) || counter <= this.#highest - BigInt(REPLAY_WINDOW)) return null;
    const header = sealed.subarray(0, clear);
    let plain: ArrayBuffer;
    try {
      plain = await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: nonceOf(this.#stream, counter),
          additionalData: aadOf(header, trailer),
        },
        this.#key,
        sealed.subarray(clear, sealed.length - TRAILER_BYTES),
      );
    } catch {
      return null;
    }
    // Counted only once it opened: garbage cannot use up the window.
    if (this.#seen.has(counter)) return null;
    this.#seen.add(counter);
    if (counter > this.#highest) this.#highest = counter;
    for (const old of this.#seen) {
      if (old <= this.#highest - BigInt(REPLAY_WINDOW)) this.#seen.delete(old);
    }
    const out = new Uint8Array(clear + plain.byteLength);
    out.set(header);
    out.set(new Uint8Array(plain), clear);
    return out;
  }
}

/**
 * Bytes of a frame the packetizer needs in the clear: 10 of a VP8 key frame,
 * 3 of a VP8 delta frame, 1 of an audio frame.
 */
export function clearBytesOf(kind: FrameKind, frameType?: string): number {
  if (kind === "audio") return 1;
  return frameType === "key" ? 10 : 3;
}
