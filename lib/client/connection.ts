/**
 * The socket of one conversation: connect, answer the server's challenge,
 * reconnect with jittered backoff, know who is online, and pace outgoing
 * frames below the relay's rate limit. It understands no message: every
 * parsed frame goes on to the handler the client gives it.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import { signAuth } from "../crypto/auth.ts";
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import { PING_FRAME_TEXT, PONG_FRAME_TEXT } from "../protocol/liveness_frames.ts";
import { parseServerFrame, type ServerFrame } from "../protocol/server_frames.ts";
import type { ClientState } from "./client_state.ts";
import { CHUNK_SEND_RATE, DEFAULT_SEND_RATE, SendBudget, type SendRate } from "./send_budget.ts";

/** Largest frame body the client accepts from the relay. */
const MAX_BODY_LENGTH = 256 * 1024;
const RECONNECT_BASE_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/** State of this browser's socket. */
export type ConnectionState = "connecting" | "online" | "reconnecting" | "closed";

/** Options of {@linkcode Connection}. */
export interface ConnectionOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  state: ClientState;
  /** How fast frames may go out; below the relay's per-socket limit. */
  sendRate?: SendRate;
  /** How fast file chunks may go out, besides `sendRate`. */
  chunkRate?: SendRate;
  /** Receives every parsed frame, after the connection took what it needs. */
  onFrame: (frame: ServerFrame) => Promise<void>;
  /** Opens a socket; tests pass a fake. */
  openSocket?: (url: URL) => WebSocket;
}

/** Answers the relay's liveness `ping`, if the socket is still open. */
function answerPing(socket: WebSocket): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(PONG_FRAME_TEXT);
}

/** One conversation's socket, kept open until {@linkcode Connection.stop}. */
export class Connection {
  #options: ConnectionOptions;
  #socket: WebSocket | null = null;
  #status: ConnectionState = "connecting";
  #online = new Set<string>();
  #stopped = false;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #budget: SendBudget;
  #chunkBudget: SendBudget;
  #socketNumber = 0;
  #resendEpoch = 0;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.#budget = new SendBudget(options.sendRate ?? DEFAULT_SEND_RATE);
    this.#chunkBudget = new SendBudget(options.chunkRate ?? CHUNK_SEND_RATE);
  }

  get status(): ConnectionState {
    return this.#status;
  }

  /** Counts sockets: work tied to one socket stops when it changes. */
  get socketNumber(): number {
    return this.#socketNumber;
  }

  /**
   * Changes whenever the peer may have missed what was sent (a new socket,
   * the peer coming back or going away): everything unacknowledged goes out
   * again.
   */
  get resendEpoch(): number {
    return this.#resendEpoch;
  }

  /** True while this socket is authenticated, the peer pinned and online. */
  get peerReady(): boolean {
    const peer = this.#options.state.conversation.peer;
    return this.#socket?.readyState === WebSocket.OPEN && this.#status === "online" &&
      peer !== null && this.#online.has(peer.id);
  }

  /** Whether the server last said this participant is online. */
  isOnline(participantId: string): boolean {
    return this.#online.has(participantId);
  }

  /** Connects, and reconnects after every loss until stopped. */
  start(): void {
    if (this.#stopped) return;
    if (this.#socketNumber === 0) {
      globalThis.addEventListener("offline", this.#networkLost);
      globalThis.addEventListener("online", this.#networkBack);
    }
    const url = new URL(
      `/api/conversations/${this.#options.state.conversation.id}/socket`,
      this.#options.baseUrl,
    );
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = this.#options.openSocket?.(url) ?? new WebSocket(url);
    this.#socket = socket;
    this.#socketNumber++;
    this.#resendEpoch++;
    socket.addEventListener("message", (event) => {
      if (this.#socket !== socket) return;
      const data = event.data;
      // Answered at once, ahead of the queue: a busy queue is not a dead browser.
      if (data === PING_FRAME_TEXT) return answerPing(socket);
      this.#options.state.serial(() => this.#onFrame(socket, data));
    });
    socket.addEventListener("close", () => this.#lost(socket));
    socket.addEventListener("error", () => {});
  }

  /** Closes the socket for good; nothing reconnects. */
  stop(): void {
    this.#stopped = true;
    this.#status = "closed";
    clearTimeout(this.#reconnectTimer);
    globalThis.removeEventListener("offline", this.#networkLost);
    globalThis.removeEventListener("online", this.#networkBack);
    this.#socket?.close(1000);
    this.#socket = null;
  }

  #lost(socket: WebSocket): void {
    if (this.#socket !== socket) return;
    this.#socket = null;
    this.#online.clear();
    this.#resendEpoch++;
    if (this.#stopped) {
      this.#status = "closed";
    } else {
      this.#status = "reconnecting";
      this.#scheduleReconnect();
    }
    this.#options.state.changed();
  }

  /**
   * The browser lost its network: the socket may not notice for many
   * seconds, while the other person would show online and messages "sent"
   * into it. It counts as lost at once, and what waits to go keeps waiting.
   */
  #networkLost = () => {
    const socket = this.#socket;
    if (socket === null) return;
    this.#lost(socket);
    socket.close();
  };

  /** The network is back: connects at once instead of after the backoff. */
  #networkBack = () => {
    if (this.#stopped || this.#socket !== null) return;
    clearTimeout(this.#reconnectTimer);
    this.#attempt = 0;
    this.start();
  };

  /** Takes one frame's worth of the send budget; false when over it. */
  take(): boolean {
    return this.#budget.take();
  }

  /** Milliseconds until the budget allows the next frame. */
  waitMs(): number {
    return this.#budget.waitMs();
  }

  /** Takes one file chunk's worth of the chunk budget; false when over it. */
  takeChunk(): boolean {
    return this.#chunkBudget.take();
  }

  /** Milliseconds until the chunk budget allows the next chunk. */
  chunkWaitMs(): number {
    return this.#chunkBudget.waitMs();
  }

  /**
   * Sends a sealed body to the peer; false when the socket is not open. The
   * frame carries the `message` frame the relay passes on as it is.
   */
  transmit(id: string, body: string): boolean {
    const { peer, participantId: from } = this.#options.state.conversation;
    if (this.#socket?.readyState !== WebSocket.OPEN || peer === null) return false;
    const frame = { type: "message", id, from, body };
    this.#socket.send(JSON.stringify({ type: "send", to: peer.id, frame }));
    return true;
  }

  /** Asks the server to burn the conversation; false when not connected. */
  requestDelete(): boolean {
    if (this.#status !== "online" || this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify({ type: "delete" }));
    return true;
  }

  /**
   * Asks the server for a later end of the conversation (`extension.ts` on
   * the server); reports whether the frame went out. Not a message: it
   * carries only the time, which the server learns anyway.
   */
  requestExtension(expiresAt: string): boolean {
    if (this.#status !== "online" || this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify({ type: "extend", expiresAt }));
    return true;
  }

  #scheduleReconnect(): void {
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** this.#attempt);
    this.#attempt++;
    // Jitter, so that many clients do not return at the same instant.
    const delay = ceiling / 2 + Math.random() * ceiling / 2;
    this.#reconnectTimer = setTimeout(() => this.start(), delay);
  }

  async #onFrame(socket: WebSocket, data: unknown): Promise<void> {
    const { state } = this.#options;
    let frame: ServerFrame;
    try {
      if (typeof data !== "string") throw new TypeError("Expected a text frame");
      frame = parseServerFrame(data, { maxBodyLength: MAX_BODY_LENGTH });
    } catch (error) {
      return state.report(
        "message",
        t("chat.problem_malformed_frame", { detail: (error as Error).message }),
      );
    }
    switch (frame.type) {
      case "ping":
        // Another spelling than the server's: answered all the same, and no more.
        return answerPing(socket);
      case "challenge": {
        const { conversation } = state;
        const signature = await signAuth(
          conversation.signing.privateKey,
          conversation.id,
          decodeBase64Url(frame.nonce),
        );
        socket.send(JSON.stringify({
          type: "auth",
          participantId: conversation.participantId,
          signature: encodeBase64Url(signature),
        }));
        return;
      }
      case "ready":
        this.#attempt = 0;
        this.#status = "online";
        this.#online = new Set(frame.peers.filter((p) => p.online).map((p) => p.id));
        break;
      case "presence":
        if (frame.online) this.#online.add(frame.participantId);
        else this.#online.delete(frame.participantId);
        // Also on a second socket of the peer: it may have reloaded, so
        // everything without a receipt goes out again.
        if (frame.participantId !== state.conversation.participantId) this.#resendEpoch++;
        break;
      case "error":
        if (frame.code === "peer_offline") {
          this.#online.clear();
          this.#resendEpoch++;
        } else if (frame.code === "rate_limited" || frame.code === "too_many_sockets") {
          // The server is about to close this socket: come back slowly.
          this.#attempt = Math.max(this.#attempt, 5);
        }
        break;
    }
    await this.#options.onFrame(frame);
  }
}
