/**
 * The relay hub: holds the sockets of each conversation, authenticates them
 * by challenge–response, and passes ciphertext between the two participants.
 * A body is held only while it is being relayed; nothing is queued for an
 * offline peer (the sender's browser keeps it). Each conversation is a
 * {@linkcode RelayRoom} of {@linkcode RelaySocket}s.
 *
 * @module
 */
import { verifyAuth } from "../crypto/auth.ts";
import { decodeBase64Url } from "../crypto/encoding.ts";
import { type ClientFrame, parseClientFrame } from "../protocol/client_frames.ts";
import type { ConversationRecord, Participant } from "../protocol/conversation_record.ts";
import type { ClosedReason } from "../protocol/server_frames.ts";
import type { ConversationStore } from "./conversation_store.ts";
import { type Logger, shortId } from "./log.ts";
import { RelayRoom } from "./relay_room.ts";
import {
  CLOSE_GOING_AWAY,
  CLOSE_INTERNAL,
  CLOSE_NORMAL,
  CLOSE_TOO_BIG,
  RelaySocket,
} from "./relay_socket.ts";

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

/** Frames per second one socket may send when no rate is configured. */
const DEFAULT_SEND_PER_SECOND = 20;

/** Relays frames between the authenticated sockets of each conversation. */
export class RelayHub {
  #rooms = new Map<string, RelayRoom>();
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
  accept(webSocket: WebSocket, conversation: ConversationRecord): void {
    const room = this.#room(conversation);
    const socket = new RelaySocket(webSocket, { sendPerSecond: this.#sendPerSecond });
    room.sockets.add(socket);
    this.#socketCount++;
    webSocket.addEventListener("open", () => {
      socket.challenge(this.#options.authTimeoutMs);
    });
    webSocket.addEventListener("message", (event) => {
      this.#onMessage(room, socket, event.data).catch((error) => {
        this.#options.log("socket_failed", {
          conversation: shortId(room.id),
          error: error instanceof Error ? error.name : "unknown",
        });
        socket.close(CLOSE_INTERNAL, "internal error");
      });
    });
    webSocket.addEventListener("close", () => this.#onClose(room, socket));
    webSocket.addEventListener("error", () => {});
  }

  /** Tells the connected sockets of a conversation that someone joined. */
  notifyJoined(conversation: ConversationRecord, participant: Participant): void {
    const room = this.#rooms.get(conversation.id);
    if (room === undefined) return;
    room.participants.set(participant.id, participant);
    for (const socket of room.sockets) {
      if (socket.participantId !== null) {
        socket.send({ type: "joined", participant });
      }
    }
  }

  /** Sends `closed` to every socket of a conversation and closes them. */
  closeConversation(id: string, reason: ClosedReason): void {
    const room = this.#rooms.get(id);
    if (room === undefined) return;
    this.#rooms.delete(id);
    room.disarmExpiry();
    for (const socket of room.sockets) {
      socket.send({ type: "closed", reason });
      socket.close(CLOSE_NORMAL, reason);
    }
  }

  /** Closes every socket, for shutdown. */
  close(): void {
    for (const room of this.#rooms.values()) {
      room.disarmExpiry();
      for (const socket of room.sockets) {
        socket.close(CLOSE_GOING_AWAY, "server shutting down");
      }
    }
    this.#rooms.clear();
  }

  #room(conversation: ConversationRecord): RelayRoom {
    const existing = this.#rooms.get(conversation.id);
    if (existing !== undefined) return existing;
    const room = new RelayRoom(conversation);
    this.#rooms.set(room.id, room);
    room.armExpiry(() => this.#expire(room));
    return room;
  }

  #expire(room: RelayRoom): void {
    if (this.#rooms.get(room.id) !== room) return;
    // Closed first, so no frame is relayed while the file is being removed.
    this.closeConversation(room.id, "expired");
    this.#options.store.delete(room.id).catch(() => false).then((existed) => {
      if (existed) this.#options.log("conversation_expired", { conversation: shortId(room.id) });
    });
  }

  async #onMessage(room: RelayRoom, socket: RelaySocket, data: unknown): Promise<void> {
    // A timer can fire late; a conversation is never served past expiresAt.
    if (Date.now() >= room.expiresAt) return this.#expire(room);
    if (!socket.takeFrame()) {
      this.#options.log("socket_rate_limited", { conversation: shortId(room.id) });
      return socket.reject(
        "rate_limited",
        `Too many frames: at most ${this.#sendPerSecond} per second`,
      );
    }
    if (typeof data !== "string") {
      return socket.reject("bad_frame", "Expected a JSON text frame");
    }
    if (utf8Length(data, this.#options.maxFrameBytes) > this.#options.maxFrameBytes) {
      return socket.reject(
        "frame_too_large",
        `Frame is larger than ${this.#options.maxFrameBytes} bytes`,
        CLOSE_TOO_BIG,
      );
    }
    let frame: ClientFrame;
    try {
      frame = parseClientFrame(data, { maxBodyLength: this.#options.maxFrameBytes });
    } catch (error) {
      return socket.reject("bad_frame", (error as Error).message);
    }
    if (socket.participantId === null) {
      if (frame.type !== "auth") {
        return socket.reject("not_authenticated", "Authenticate first");
      }
      return await this.#authenticate(room, socket, frame);
    }
    switch (frame.type) {
      case "auth":
        return socket.reject("bad_frame", "Already authenticated");
      case "send":
        return room.relay(socket.participantId, frame.to, {
          type: "message",
          id: frame.id,
          from: socket.participantId,
          body: frame.body,
        }, socket);
      case "ack":
        return room.relay(socket.participantId, frame.to, {
          type: "ack",
          id: frame.id,
          from: socket.participantId,
        });
      case "delete":
        await this.#options.store.delete(room.id);
        this.#options.log("conversation_deleted", { conversation: shortId(room.id) });
        return this.closeConversation(room.id, "deleted");
    }
  }

  async #authenticate(
    room: RelayRoom,
    socket: RelaySocket,
    frame: Extract<ClientFrame, { type: "auth" }>,
  ): Promise<void> {
    // Read again: the conversation may have been deleted since the upgrade
    // (its room would otherwise live on), or joined just before it.
    const fresh = await this.#options.store.get(room.id);
    if (fresh === null) {
      return socket.reject("not_found", "The conversation no longer exists");
    }
    for (const p of fresh.participants) room.participants.set(p.id, p);
    const participant = room.participants.get(frame.participantId);
    const valid = participant !== undefined && await verifyAuth(
      decodeBase64Url(participant.bundle.sign),
      room.id,
      socket.nonce,
      decodeBase64Url(frame.signature),
    );
    if (!valid) {
      this.#options.log("auth_failed", { conversation: shortId(room.id) });
      return socket.reject("auth_failed", "Authentication failed");
    }
    // The room may have been closed while the signature was checked.
    if (this.#rooms.get(room.id) !== room || !room.sockets.has(socket)) return;
    const max = this.#options.maxSocketsPerParticipant ?? Infinity;
    if (room.socketsOf(frame.participantId) >= max) {
      this.#options.log("socket_limit", { conversation: shortId(room.id) });
      return socket.reject(
        "too_many_sockets",
        `Too many sockets: a participant may hold at most ${max} at once`,
      );
    }
    socket.admit(frame.participantId);
    const peers = [...room.participants.keys()]
      .filter((id) => id !== frame.participantId)
      .map((id) => ({ id, online: room.isOnline(id) }));
    socket.send({ type: "ready", peers });
    // Sent on every new socket, even when another is still open: a reload can
    // connect before the old socket is seen to close, and the peer must learn
    // to resend what this side has not acknowledged.
    room.broadcastPresence(frame.participantId, true);
  }

  #onClose(room: RelayRoom, socket: RelaySocket): void {
    socket.stopDeadline();
    if (!room.sockets.delete(socket)) return;
    this.#socketCount--;
    const id = socket.participantId;
    if (id !== null && !room.isOnline(id)) {
      room.broadcastPresence(id, false);
    }
    if (room.sockets.size === 0 && this.#rooms.get(room.id) === room) {
      room.disarmExpiry();
      this.#rooms.delete(room.id);
    }
  }
}

/** UTF-8 length of `text`, counted exactly only when it could pass `limit`. */
function utf8Length(text: string, limit: number): number {
  // Each UTF-16 unit is 1 to 3 UTF-8 bytes, so most frames need no encoding.
  if (text.length > limit) return text.length;
  if (text.length * 3 <= limit) return text.length;
  return new TextEncoder().encode(text).length;
}
