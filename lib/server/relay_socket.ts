/**
 * One socket on the relay: the challenge it must sign, the participant it
 * proved to be, its deadline to do so and the pace of the frames it sends.
 * The hub decides; a {@linkcode RelaySocket} only answers and closes.
 *
 * @module
 */
import { encodeBase64Url } from "../crypto/encoding.ts";
import { NONCE_BYTES, type ServerFrame } from "../protocol/server_frames.ts";
import { TokenBucket } from "./token_bucket.ts";

/** Close codes of the WebSocket contract. */
export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_INTERNAL = 1011;

/** Seconds of the per-socket send rate a socket may spend at once. */
const SEND_BURST_SECONDS = 10;

/** Options of a {@linkcode RelaySocket}. */
export interface RelaySocketOptions {
  /** Frames per second the socket may send, with ten seconds' worth as burst. */
  sendPerSecond: number;
}

/** A socket of one conversation, authenticated or still being challenged. */
export class RelaySocket {
  /** The random challenge this socket must sign to authenticate. */
  readonly nonce: Uint8Array = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  #socket: WebSocket;
  #participantId: string | null = null;
  #authTimer: ReturnType<typeof setTimeout> | undefined;
  /** Paces the frames this socket sends. */
  #frames: TokenBucket;

  constructor(socket: WebSocket, options: RelaySocketOptions) {
    this.#socket = socket;
    this.#frames = new TokenBucket({
      capacity: options.sendPerSecond * SEND_BURST_SECONDS,
      perSecond: options.sendPerSecond,
    });
  }

  /** The participant this socket proved to be; null until it authenticates. */
  get participantId(): string | null {
    return this.#participantId;
  }

  /** Sends the challenge and closes the socket if it is not answered within `timeoutMs`. */
  challenge(timeoutMs: number): void {
    this.send({ type: "challenge", nonce: encodeBase64Url(this.nonce) });
    this.#authTimer = setTimeout(() => {
      this.reject("auth_timeout", "Authentication took too long");
    }, timeoutMs);
  }

  /** Marks the socket as `participantId`'s, which ends its deadline. */
  admit(participantId: string): void {
    clearTimeout(this.#authTimer);
    this.#participantId = participantId;
  }

  /** Takes the allowance for one incoming frame; false when the socket sends too fast. */
  takeFrame(): boolean {
    return this.#frames.take();
  }

  /** Sends a frame if the socket is open; tells whether it was sent. */
  send(frame: ServerFrame): boolean {
    if (this.#socket.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(frame));
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

  /** Closes the socket; a socket already closing stays as it is. */
  close(code: number, reason: string): void {
    this.stopDeadline();
    try {
      this.#socket.close(code, reason);
    } catch {
      // Already closing.
    }
  }

  /** Ends the deadline to authenticate, once the socket is gone. */
  stopDeadline(): void {
    clearTimeout(this.#authTimer);
  }
}
