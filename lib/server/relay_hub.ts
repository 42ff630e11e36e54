/**
 * The relay hub: holds the sockets of each conversation, authenticates them
 * by challenge–response, and passes ciphertext between the two participants.
 * A body is held only while it is being relayed; nothing is queued for an
 * offline peer (the sender's browser keeps it).
 *
 * @module
 */
import { verifyAuth } from "../crypto/auth.ts";
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import { type ClientFrame, parseClientFrame } from "../protocol/client_frames.ts";
import type { ConversationRecord, Participant } from "../protocol/conversation_record.ts";
import { type ClosedReason, NONCE_BYTES, type ServerFrame } from "../protocol/server_frames.ts";
import type { ConversationStore } from "./conversation_store.ts";
import { type Logger, shortId } from "./log.ts";
import { TokenBucket } from "./token_bucket.ts";

/** Close codes of the WebSocket contract. */
export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_INTERNAL = 1011;

/** Longest delay `setTimeout` accepts; longer expiries are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Client {
  socket: WebSocket;
  nonce: Uint8Array;
  participantId: string | null;
  authTimer: ReturnType<typeof setTimeout> | undefined;
  /** Paces the frames this socket sends. */
  frames: TokenBucket;
}

interface Room {
  id: string;
  clients: Set<Client>;
  /** Participant ID → public bundle, kept so relaying never reads the disk. */
  participants: Map<string, Participant>;
  expiresAt: number;
  expiryTimer: ReturnType<typeof setTimeout> | undefined;
}

/** Options of the relay hub. */
export interface RelayHubOptions {
  store: ConversationStore;
  log: Logger;
  maxFrameBytes: number;
  authTimeoutMs: number;
  /** Open sockets one participant may hold; more are refused at auth. */
  maxSocketsPerParticipant?: number;
  /** Frames per second one socket may send, with ten seconds' worth as burst. */
  sendPerSecond?: number;
}

/** Seconds of the per-socket send rate a socket may spend at once. */
const SEND_BURST_SECONDS = 10;
/** Frames per second one socket may send when no rate is configured. */
const DEFAULT_SEND_PER_SECOND = 20;

/** Relays frames between the authenticated sockets of each conversation. */
export class RelayHub {
  #rooms = new Map<string, Room>();
  #options: RelayHubOptions;
  #socketCount = 0;
  #sendPerSecond: number;

  constructor(options: RelayHubOptions) {
    this.#options = options;
    this.#sendPerSecond = options.sendPerSecond ?? DEFAULT_SEND_PER_SECOND;
  }

  /** Number of open sockets, across all conversations. */
  get socketCount(): number {
    return this.#socketCount;
  }

  /** Number of conversations with at least one open socket. */
  get conversationCount(): number {
    return this.#rooms.size;
  }

  /** Takes over a freshly upgraded socket for `conversation`. */
  accept(socket: WebSocket, conversation: ConversationRecord): void {
    const room = this.#room(conversation);
    const client: Client = {
      socket,
      nonce: crypto.getRandomValues(new Uint8Array(NONCE_BYTES)),
      participantId: null,
      authTimer: undefined,
      frames: new TokenBucket({
        capacity: this.#sendPerSecond * SEND_BURST_SECONDS,
        perSecond: this.#sendPerSecond,
      }),
    };
    room.clients.add(client);
    this.#socketCount++;
    socket.addEventListener("open", () => {
      this.#send(client, { type: "challenge", nonce: encodeBase64Url(client.nonce) });
      client.authTimer = setTimeout(() => {
        this.#reject(client, "auth_timeout", "Authentication took too long");
      }, this.#options.authTimeoutMs);
    });
    socket.addEventListener("message", (event) => {
      this.#onMessage(room, client, event.data).catch((error) => {
        this.#options.log("socket_failed", {
          conversation: shortId(room.id),
          error: error instanceof Error ? error.name : "unknown",
        });
        this.#close(client, CLOSE_INTERNAL, "internal error");
      });
    });
    socket.addEventListener("close", () => this.#onClose(room, client));
    socket.addEventListener("error", () => {});
  }

  /** Tells the connected sockets of a conversation that someone joined. */
  notifyJoined(conversation: ConversationRecord, participant: Participant): void {
    const room = this.#rooms.get(conversation.id);
    if (room === undefined) return;
    room.participants.set(participant.id, participant);
    for (const client of room.clients) {
      if (client.participantId !== null) {
        this.#send(client, { type: "joined", participant });
      }
    }
  }

  /** Sends `closed` to every socket of a conversation and closes them. */
  closeConversation(id: string, reason: ClosedReason): void {
    const room = this.#rooms.get(id);
    if (room === undefined) return;
    this.#rooms.delete(id);
    clearTimeout(room.expiryTimer);
    for (const client of room.clients) {
      this.#send(client, { type: "closed", reason });
      this.#close(client, CLOSE_NORMAL, reason);
    }
  }

  /** Closes every socket, for shutdown. */
  close(): void {
    for (const room of this.#rooms.values()) {
      clearTimeout(room.expiryTimer);
      for (const client of room.clients) {
        this.#close(client, CLOSE_GOING_AWAY, "server shutting down");
      }
    }
    this.#rooms.clear();
  }

  #room(conversation: ConversationRecord): Room {
    const existing = this.#rooms.get(conversation.id);
    if (existing !== undefined) return existing;
    const room: Room = {
      id: conversation.id,
      clients: new Set(),
      participants: new Map(conversation.participants.map((p) => [p.id, p])),
      expiresAt: Date.parse(conversation.expiresAt),
      expiryTimer: undefined,
    };
    this.#rooms.set(room.id, room);
    this.#armExpiry(room);
    return room;
  }

  #armExpiry(room: Room): void {
    const delay = room.expiresAt - Date.now();
    room.expiryTimer = setTimeout(() => {
      if (Date.now() < room.expiresAt) return this.#armExpiry(room);
      this.#expire(room);
    }, Math.max(0, Math.min(delay, MAX_TIMER_MS)));
  }

  #expire(room: Room): void {
    if (this.#rooms.get(room.id) !== room) return;
    // Closed first, so no frame is relayed while the file is being removed.
    this.closeConversation(room.id, "expired");
    this.#options.store.delete(room.id).catch(() => false).then((existed) => {
      if (existed) this.#options.log("conversation_expired", { conversation: shortId(room.id) });
    });
  }

  async #onMessage(room: Room, client: Client, data: unknown): Promise<void> {
    // A timer can fire late; a conversation is never served past expiresAt.
    if (Date.now() >= room.expiresAt) return this.#expire(room);
    if (!client.frames.take()) {
      this.#options.log("socket_rate_limited", { conversation: shortId(room.id) });
      return this.#reject(
        client,
        "rate_limited",
        `Too many frames: at most ${this.#sendPerSecond} per second`,
      );
    }
    if (typeof data !== "string") {
      return this.#reject(client, "bad_frame", "Expected a JSON text frame");
    }
    if (utf8Length(data, this.#options.maxFrameBytes) > this.#options.maxFrameBytes) {
      return this.#reject(
        client,
        "frame_too_large",
        `Frame is larger than ${this.#options.maxFrameBytes} bytes`,
        CLOSE_TOO_BIG,
      );
    }
    let frame: ClientFrame;
    try {
      frame = parseClientFrame(data, { maxBodyLength: this.#options.maxFrameBytes });
    } catch (error) {
      return this.#reject(client, "bad_frame", (error as Error).message);
    }
    if (client.participantId === null) {
      if (frame.type !== "auth") {
        return this.#reject(client, "not_authenticated", "Authenticate first");
      }
      return await this.#authenticate(room, client, frame);
    }
    switch (frame.type) {
      case "auth":
        return this.#reject(client, "bad_frame", "Already authenticated");
      case "send":
        return this.#relay(room, client.participantId, frame.to, {
          type: "message",
          id: frame.id,
          from: client.participantId,
          body: frame.body,
        }, client);
      case "ack":
        return this.#relay(room, client.participantId, frame.to, {
          type: "ack",
          id: frame.id,
          from: client.participantId,
        });
      case "delete":
        await this.#options.store.delete(room.id);
        this.#options.log("conversation_deleted", { conversation: shortId(room.id) });
        return this.closeConversation(room.id, "deleted");
    }
  }

  async #authenticate(
    room: Room,
    client: Client,
    frame: Extract<ClientFrame, { type: "auth" }>,
  ): Promise<void> {
    // Read again: the conversation may have been deleted since the upgrade
    // (its room would otherwise live on), or joined just before it.
    const fresh = await this.#options.store.get(room.id);
    if (fresh === null) {
      return this.#reject(client, "not_found", "The conversation no longer exists");
    }
    for (const p of fresh.participants) room.participants.set(p.id, p);
    const participant = room.participants.get(frame.participantId);
    const valid = participant !== undefined && await verifyAuth(
      decodeBase64Url(participant.bundle.sign),
      room.id,
      client.nonce,
      decodeBase64Url(frame.signature),
    );
    if (!valid) {
      this.#options.log("auth_failed", { conversation: shortId(room.id) });
      return this.#reject(client, "auth_failed", "Authentication failed");
    }
    // The room may have been closed while the signature was checked.
    if (this.#rooms.get(room.id) !== room || !room.clients.has(client)) return;
    const max = this.#options.maxSocketsPerParticipant ?? Infinity;
    if (this.#socketsOf(room, frame.participantId) >= max) {
      this.#options.log("socket_limit", { conversation: shortId(room.id) });
      return this.#reject(
        client,
        "too_many_sockets",
        `Too many sockets: a participant may hold at most ${max} at once`,
      );
    }
    clearTimeout(client.authTimer);
    client.participantId = frame.participantId;
    const peers = [...room.participants.keys()]
      .filter((id) => id !== frame.participantId)
      .map((id) => ({ id, online: this.#isOnline(room, id) }));
    this.#send(client, { type: "ready", peers });
    // Sent on every new socket, even when another is still open: a reload can
    // connect before the old socket is seen to close, and the peer must learn
    // to resend what this side has not acknowledged.
    this.#broadcastPresence(room, frame.participantId, true);
  }

  #relay(
    room: Room,
    from: string,
    to: string,
    frame: ServerFrame,
    sender?: Client,
  ): void {
    if (to === from || !room.participants.has(to)) {
      if (sender) this.#send(sender, error("unknown_recipient", "Unknown recipient"));
      return;
    }
    let delivered = false;
    for (const client of room.clients) {
      if (client.participantId === to) {
        delivered = this.#send(client, frame) || delivered;
      }
    }
    if (!delivered && sender) {
      this.#send(sender, error("peer_offline", "The recipient is offline"));
    }
  }

  #onClose(room: Room, client: Client): void {
    clearTimeout(client.authTimer);
    if (!room.clients.delete(client)) return;
    this.#socketCount--;
    const id = client.participantId;
    if (id !== null && !this.#isOnline(room, id)) {
      this.#broadcastPresence(room, id, false);
    }
    if (room.clients.size === 0 && this.#rooms.get(room.id) === room) {
      clearTimeout(room.expiryTimer);
      this.#rooms.delete(room.id);
    }
  }

  #broadcastPresence(room: Room, participantId: string, online: boolean): void {
    for (const client of room.clients) {
      if (client.participantId !== null && client.participantId !== participantId) {
        this.#send(client, { type: "presence", participantId, online });
      }
    }
  }

  #isOnline(room: Room, participantId: string): boolean {
    for (const client of room.clients) {
      if (client.participantId === participantId) return true;
    }
    return false;
  }

  #socketsOf(room: Room, participantId: string): number {
    let count = 0;
    for (const client of room.clients) {
      if (client.participantId === participantId) count++;
    }
    return count;
  }

  #reject(client: Client, code: string, message: string, closeCode = CLOSE_POLICY) {
    this.#send(client, error(code, message));
    this.#close(client, closeCode, code);
  }

  #send(client: Client, frame: ServerFrame): boolean {
    if (client.socket.readyState !== WebSocket.OPEN) return false;
    client.socket.send(JSON.stringify(frame));
    return true;
  }

  #close(client: Client, code: number, reason: string): void {
    clearTimeout(client.authTimer);
    try {
      client.socket.close(code, reason);
    } catch {
      // Already closing.
    }
  }
}

function error(code: string, message: string): ServerFrame {
  return { type: "error", code, message };
}

/** UTF-8 length of `text`, counted exactly only when it could pass `limit`. */
function utf8Length(text: string, limit: number): number {
  // Each UTF-16 unit is 1 to 3 UTF-8 bytes, so most frames need no encoding.
  if (text.length > limit) return text.length;
  if (text.length * 3 <= limit) return text.length;
  return new TextEncoder().encode(text).length;
}
