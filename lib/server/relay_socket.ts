/**
 * One socket on the relay: the challenge it must sign, the participant it
 * proved to be, its deadline to do so, the pace of the frames it sends and
 * the place it holds in the server's socket counts. The hub decides; a
 * {@linkcode RelaySocket} only answers, closes and gives its place back.
 *
 * @module
 */
import { encodeBase64Url } from "../crypto/encoding.ts";
import { type ClientFrame, parseClientFrame } from "../protocol/client_frames.ts";
import { PING_FRAME_TEXT } from "../protocol/liveness_frames.ts";
import type { RelaySpelling } from "../protocol/relay_frame_scanner.ts";
import { NONCE_BYTES, type ServerFrame } from "../protocol/server_frames.ts";

/** Close codes of the WebSocket contract. */
export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_INTERNAL = 1011;

/** Seconds of the per-socket send rate a socket may spend at once. */
const SEND_BURST_SECONDS = 10;
/** Seconds of the per-socket byte rate a socket may spend at once. */
const SEND_BYTES_BURST_SECONDS = 2;

/**
 * The pace of a {@linkcode RelaySocket}: one object may be shared by every
 * socket of a hub, as a socket only reads it.
 */
export interface RelaySocketOptions {
  /** Frames per second the socket may send, with ten seconds' worth as burst. */
  sendPerSecond: number;
  /** Bytes of frames per second the socket may send, with two seconds' worth as burst. */
  sendBytesPerSecond?: number;
}

/** A socket of one conversation, authenticated or still being challenged. */
export class RelaySocket {
  #nonce: Uint8Array | null = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  #socket: WebSocket;
  #participantId: string | null = null;
  #authTimer: ReturnType<typeof setTimeout> | undefined;
  #pace: RelaySocketOptions;
  /**
   * Two token buckets, of frames and of bytes, refilled together from one
   * clock reading per frame: the tokens left and when they were counted.
   */
  #frameTokens: number;
  #byteTokens: number;
  #pacedAt: number;
  /** When the last `ping` went out; 0 before the first. */
  #pingedAt = 0;
  #onRelease: (() => void) | undefined;
  #released = false;
  #connecting = true;
  /** A close asked for while connecting; Deno forgets it when the upgrade completes. */
  #pendingClose: { code: number; reason: string } | null = null;
  /**
   * The fast spellings of the frames this socket sends the other
   * participant: made by the relay at the first frame after both are known.
   */
  spelling: RelaySpelling | null = null;

  /**
   * `onRelease` gives back the socket's place in the per-address count; it
   * is called at most once.
   */
  constructor(socket: WebSocket, options: RelaySocketOptions, onRelease?: () => void) {
    this.#socket = socket;
    this.#onRelease = onRelease;
    this.#pace = options;
    this.#frameTokens = options.sendPerSecond * SEND_BURST_SECONDS;
    this.#byteTokens = (options.sendBytesPerSecond ?? 0) * SEND_BYTES_BURST_SECONDS;
    this.#pacedAt = Date.now();
  }

  /** The random challenge this socket must sign; null once it has authenticated. */
  get nonce(): Uint8Array | null {
    return this.#nonce;
  }

  /** The participant this socket proved to be; null until it authenticates. */
  get participantId(): string | null {
    return this.#participantId;
  }

  /** Whether the upgrade is under way: Deno has fired none of "open", "close" and "error". */
  get connecting(): boolean {
    return this.#connecting;
  }

  /** Marks the upgrade as over, on "open", "close" or "error"; true the first time. */
  endUpgrade(): boolean {
    if (!this.#connecting) return false;
    this.#connecting = false;
    return true;
  }

  /** Whether {@linkcode RelaySocket.release} has been called. */
  get released(): boolean {
    return this.#released;
  }

  /**
   * Calls `onExpired` unless the socket is admitted or released within
   * `timeoutMs`. Started when the socket is accepted, not when it opens: a
   * client that hangs up before the upgrade's 101 leaves a socket that never
   * fires "open" nor "close".
   */
  startDeadline(timeoutMs: number, onExpired: () => void): void {
    clearTimeout(this.#authTimer);
    this.#authTimer = setTimeout(onExpired, timeoutMs);
  }

  /**
   * Called on "open": closes the socket now if a close was asked for while it
   * was connecting, and tells whether it stays open.
   */
  opened(): boolean {
    if (this.#pendingClose === null) return true;
    this.close(this.#pendingClose.code, this.#pendingClose.reason);
    return false;
  }

  /** Sends the challenge this socket must sign. */
  challenge(): void {
    if (this.#nonce === null) return;
    this.send({ type: "challenge", nonce: encodeBase64Url(this.#nonce) });
  }

  /**
   * Marks the socket as `participantId`'s, which ends its deadline; the
   * timer and the challenge are dropped, as an idle socket needs neither.
   */
  admit(participantId: string): void {
    this.stopDeadline();
    this.#nonce = null;
    this.#participantId = participantId;
  }

  /**
   * When the socket last sent a frame (or was accepted), in milliseconds
   * since the epoch: the clock reading {@linkcode RelaySocket.takeFrame}
   * already keeps for its buckets, so liveness costs a frame nothing more.
   */
  get heardAt(): number {
    return this.#pacedAt;
  }

  /**
   * Sends a `ping` at `now` (if the socket is open) unless one was due since
   * the socket was last heard from; tells whether one was due.
   */
  ping(now: number): boolean {
    // A pong in the very millisecond of its ping leaves them equal: heard since.
    if (this.#pingedAt > this.#pacedAt) return false;
    this.#pingedAt = now;
    this.sendText(PING_FRAME_TEXT);
    return true;
  }

  /**
   * Takes the allowance for one incoming frame of `length` characters (a
   * frame is ASCII JSON, one byte a character) at `now` (`Date.now()`, read
   * once per frame by the caller); "frames" or "bytes" when the socket sends
   * too fast, null when it may go on. A refused frame takes nothing.
   */
  takeFrame(length = 0, now: number = Date.now()): "frames" | "bytes" | null {
    const { sendPerSecond, sendBytesPerSecond } = this.#pace;
    // A clock that went back refills nothing.
    const elapsedMs = now > this.#pacedAt ? now - this.#pacedAt : 0;
    this.#pacedAt = now;
    const frameBurst = sendPerSecond * SEND_BURST_SECONDS;
    const frames = Math.min(frameBurst, this.#frameTokens + elapsedMs * sendPerSecond / 1000);
    if (sendBytesPerSecond === undefined) {
      if (frames < 1) return this.#keep(frames, 0, "frames");
      return this.#keep(frames - 1, 0, null);
    }
    const byteBurst = sendBytesPerSecond * SEND_BYTES_BURST_SECONDS;
    const bytes = Math.min(byteBurst, this.#byteTokens + elapsedMs * sendBytesPerSecond / 1000);
    if (frames < 1) return this.#keep(frames, bytes, "frames");
    // A frame above the whole burst costs the whole burst (its size is checked apart).
    const cost = length < byteBurst ? length : byteBurst;
    if (bytes < cost) return this.#keep(frames, bytes, "bytes");
    return this.#keep(frames - 1, bytes - cost, null);
  }

  #keep<T>(frames: number, bytes: number, verdict: T): T {
    this.#frameTokens = frames;
    this.#byteTokens = bytes;
    return verdict;
  }

  /**
   * Parses an incoming frame of at most `maxBytes`; a bad one is answered
   * with an error and a close, and reads as null.
   */
  readFrame(data: unknown, maxBytes: number): ClientFrame | null {
    if (typeof data !== "string") {
      this.reject("bad_frame", "Expected a JSON text frame");
      return null;
    }
    if (frameBytes(data, maxBytes) > maxBytes) {
      this.reject("frame_too_large", `Frame is larger than ${maxBytes} bytes`, CLOSE_TOO_BIG);
      return null;
    }
    try {
      return parseClientFrame(data, { maxBodyLength: maxBytes });
    } catch (error) {
      this.reject("bad_frame", (error as Error).message);
      return null;
    }
  }

  /** Sends a frame if the socket is open; tells whether it was sent. */
  send(frame: ServerFrame): boolean {
    return this.sendText(JSON.stringify(frame));
  }

  /** Sends the text of a frame if the socket is open; tells whether it was sent. */
  sendText(text: string): boolean {
    if (this.#socket.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(text);
    return true;
  }

  /** Sends an `error` frame, leaving the socket open. */
  sendError(code: string, message: string): void {
    this.send({ type: "error", code, message });
  }

  /** Sends an `error` frame, then closes the socket with `closeCode`. */
  reject(code: string, message: string, closeCode: number = CLOSE_POLICY): void {
    this.sendError(code, message);
    this.close(closeCode, code);
  }

  /**
   * Closes the socket; a socket already closing stays as it is, and one still
   * connecting is closed as soon as it opens.
   */
  close(code: number, reason: string): void {
    this.stopDeadline();
    if (this.connecting) this.#pendingClose ??= { code, reason };
    try {
      this.#socket.close(code, reason);
    } catch {
      // Already closing.
    }
  }

  /** Ends the deadline to authenticate, once the socket is gone. */
  stopDeadline(): void {
    clearTimeout(this.#authTimer);
    this.#authTimer = undefined;
  }

  /**
   * Ends the deadline and gives back the socket's place, once: returns true
   * the first time and false after, whatever order close, error, deadline
   * and shutdown come in.
   */
  release(): boolean {
    if (this.#released) return false;
    this.#released = true;
    this.stopDeadline();
    this.#onRelease?.();
    return true;
  }
}

/** The UTF-8 length of a text frame, counted exactly only when it could pass `limit`. */
export function frameBytes(text: string, limit: number): number {
  // Each UTF-16 unit is 1 to 3 UTF-8 bytes, so most frames need no encoding.
  if (text.length > limit) return text.length;
  if (text.length * 3 <= limit) return text.length;
  return new TextEncoder().encode(text).length;
}
