/**
 * The relay hub: holds the sockets of each conversation, authenticates them
 * by challenge–response, and passes ciphertext between the two participants.
 * A body is held only while it is being relayed; nothing is queued for an
 * offline peer (the sender's browser keeps it). Each conversation is a
 * {@linkcode RelayRoom} of {@linkcode RelaySocket}s.
 *
 * @module
 */
import { type ClientFrame, parseClientFrame } from "../protocol/client_frames.ts";
import type { ConversationRecord, Participant } from "../protocol/conversation_record.ts";
import { type ClosedReason, messageFrameText } from "../protocol/server_frames.ts";
import type { ConversationStore } from "./conversation_store.ts";
import { type Logger, shortId } from "./log.ts";
import { authenticate } from "./relay_auth.ts";
import { RelayRoom } from "./relay_room.ts";
import {
  CLOSE_GOING_AWAY,
  CLOSE_INTERNAL,
  CLOSE_NORMAL,
  CLOSE_TOO_BIG,
  frameBytes,
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
  /** Bytes of frames per second one socket may send, with two seconds' worth as burst. */
  sendBytesPerSecond?: number;
}

/** Frames per second one socket may send when no rate is configured. */
const DEFAULT_SEND_PER_SECOND = 100;

/** Relays frames between the authenticated sockets of each conversation. */
export class RelayHub {
  #rooms = new Map<string, RelayRoom>();
  #options: RelayHubOptions;
  #socketCount = 0;
  #changes = 0;
  #upgradingCount = 0;
  #closed = false;
  #sendPerSecond: number;

  constructor(options: RelayHubOptions) {
    this.#options = options;
    this.#sendPerSecond = options.sendPerSecond ?? DEFAULT_SEND_PER_SECOND;
  }

  /** Number of sockets holding a place: accepted, not yet closed nor given up. */
  get socketCount(): number {
    return this.#socketCount;
  }

  /**
   * Number of accepted sockets whose upgrade has neither completed nor failed,
   * given up or not. Deno never ends the upgrade of a client that hung up
   * before the 101, nor a graceful shutdown while one is pending.
   */
  get upgradingCount(): number {
    return this.#upgradingCount;
  }

  /** Whether {@linkcode RelayHub.close} has been called; no socket is accepted after. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Counts the joins and closes the hub has been told of. Read it before
   * reading a conversation and pass it to {@linkcode RelayHub.accept}: if it
   * has not moved by then, the record is current and no socket of the room
   * needs the store read again at authentication.
   */
  get changes(): number {
    return this.#changes;
  }

  /** Number of conversations with at least one open socket. */
  get conversationCount(): number {
    return this.#rooms.size;
  }

  /**
   * Takes over a freshly upgraded socket for `conversation`, a record read
   * when {@linkcode RelayHub.changes} was `readAt` (unknown: the record is
   * read again at authentication). `onRelease` is called exactly once: on
   * "close" or "error", at the authentication deadline if the socket has not
   * authenticated (opened or not), or when the hub closes it. Throws if the
   * hub is closed.
   */
  accept(
    webSocket: WebSocket,
    conversation: ConversationRecord,
    onRelease?: () => void,
    readAt?: number,
  ): void {
    if (this.#closed) throw new Error("Cannot accept a socket: the relay is closed");
    const room = this.#room(conversation, readAt === this.#changes);
    const socket = new RelaySocket(webSocket, {
      sendPerSecond: this.#sendPerSecond,
      sendBytesPerSecond: this.#options.sendBytesPerSecond,
      onRelease,
    });
    room.sockets.add(socket);
    this.#socketCount++;
    this.#upgradingCount++;
    const upgraded = () => {
      if (socket.endUpgrade()) this.#upgradingCount--;
    };
    socket.startDeadline(this.#options.authTimeoutMs, () => this.#onDeadline(room, socket));
    webSocket.addEventListener("open", () => {
      upgraded();
      // A socket closed while connecting (at its deadline or by shutdown) closes now.
      if (socket.opened()) socket.challenge();
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
    // A failed upgrade fires "error" alone; an open socket fires "close" after it.
    for (const type of ["close", "error"]) {
      webSocket.addEventListener(type, () => {
        upgraded();
        this.#release(room, socket);
      });
    }
  }

  /** Tells the connected sockets of a conversation that someone joined. */
  notifyJoined(conversation: ConversationRecord, participant: Participant): void {
    this.#changes++;
    const room = this.#rooms.get(conversation.id);
    if (room === undefined) return;
    room.learn([participant]);
    for (const socket of room.sockets) {
      if (socket.participantId !== null) {
        socket.send({ type: "joined", participant });
      }
    }
  }

  /** Sends `closed` to every socket of a conversation and closes them. */
  closeConversation(id: string, reason: ClosedReason): void {
    this.#changes++;
    const room = this.#rooms.get(id);
    if (room === undefined) return;
    this.#rooms.delete(id);
    room.disarmExpiry();
    for (const socket of [...room.sockets]) {
      socket.send({ type: "closed", reason });
      socket.close(CLOSE_NORMAL, reason);
      this.#release(room, socket);
    }
  }

  /** Closes and releases every socket, for shutdown; no socket is accepted after. */
  close(): void {
    this.#closed = true;
    const rooms = [...this.#rooms.values()];
    this.#rooms.clear();
    for (const room of rooms) {
      room.disarmExpiry();
      for (const socket of [...room.sockets]) {
        socket.close(CLOSE_GOING_AWAY, "server shutting down");
        this.#release(room, socket);
      }
    }
  }

  /**
   * The room of `conversation`, made from the record if there is none. A
   * `current` record (no join nor close since it was read) also completes an
   * existing room; the room keeps no other part of the record.
   */
  #room(conversation: ConversationRecord, current: boolean): RelayRoom {
    const existing = this.#rooms.get(conversation.id);
    if (existing !== undefined) {
      existing.learn(conversation.participants);
      if (current) existing.current = true;
      return existing;
    }
    const room = new RelayRoom(conversation, current);
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
    // A released socket is closing and holds no place: nothing it sends counts.
    if (socket.released) return;
    // A timer can fire late; a conversation is never served past expiresAt.
    if (Date.now() >= room.expiresAt) return this.#expire(room);
    const over = socket.takeFrame(typeof data === "string" ? data.length : 0);
    if (over !== null) {
      this.#options.log("socket_rate_limited", { conversation: shortId(room.id) });
      return socket.reject(
        "rate_limited",
        over === "frames"
          ? `Too many frames: at most ${this.#sendPerSecond} per second`
          : `Too many bytes: at most ${this.#options.sendBytesPerSecond} per second`,
      );
    }
    if (typeof data !== "string") {
      return socket.reject("bad_frame", "Expected a JSON text frame");
    }
    if (frameBytes(data, this.#options.maxFrameBytes) > this.#options.maxFrameBytes) {
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
      return await authenticate({
        room,
        socket,
        frame,
        store: this.#options.store,
        log: this.#options.log,
        maxSocketsPerParticipant: this.#options.maxSocketsPerParticipant ?? Infinity,
        isOpen: () => this.#rooms.get(room.id) === room,
      });
    }
    switch (frame.type) {
      case "auth":
        return socket.reject("bad_frame", "Already authenticated");
      case "send":
        // The body is checked base64url and the IDs ULIDs: nothing to escape.
        return room.relay(
          socket.participantId,
          frame.to,
          messageFrameText(frame.id, socket.participantId, frame.body),
          socket,
        );
      case "ack":
        return room.relay(
          socket.participantId,
          frame.to,
          JSON.stringify({ type: "ack", id: frame.id, from: socket.participantId }),
        );
      case "delete":
        await this.#options.store.delete(room.id);
        this.#options.log("conversation_deleted", { conversation: shortId(room.id) });
        return this.closeConversation(room.id, "deleted");
    }
  }

  /** Ends the wait of a socket that has not authenticated in time. */
  #onDeadline(room: RelayRoom, socket: RelaySocket): void {
    if (socket.participantId !== null) return;
    if (socket.connecting) {
      // The client hung up before the 101: Deno will fire neither "open" nor "close".
      this.#options.log("upgrade_abandoned", { conversation: shortId(room.id) });
    }
    socket.reject("auth_timeout", "Authentication took too long");
    this.#release(room, socket);
  }

  /** Gives back a socket's place in every count, once. */
  #release(room: RelayRoom, socket: RelaySocket): void {
    if (!socket.release()) return;
    room.sockets.delete(socket);
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
