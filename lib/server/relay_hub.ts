/**
 * The relay hub: holds the sockets of each conversation, authenticates them
 * by challenge–response, and passes ciphertext between the two participants.
 * A body is held only while it is being relayed; nothing is queued for an
 * offline peer (the sender's browser keeps it). Each conversation is a
 * {@linkcode RelayRoom} of {@linkcode RelaySocket}s.
 *
 * @module
 */
import type { ConversationRecord, Participant } from "../protocol/conversation_record.ts";
import type { ClosedReason } from "../protocol/server_frames.ts";
import type { ConversationStore } from "./conversation_store.ts";
import { type Logger, shortId } from "./log.ts";
import type { RelayCluster } from "./relay_cluster.ts";
import { clusterListener, joinCluster, toldUnavailable } from "./relay_cluster_listener.ts";
import { ExpirySchedule } from "./expiry_schedule.ts";
import { type FrameContext, handleFrame } from "./relay_frames.ts";
import { LivenessSweep } from "./relay_liveness.ts";
import { type SocketEvents, SocketListener } from "./relay_socket_listener.ts";
import { RelayRoom } from "./relay_room.ts";
import { CLOSE_GOING_AWAY, CLOSE_INTERNAL, CLOSE_NORMAL, RelaySocket } from "./relay_socket.ts";
import type { TurnConfig } from "./turn.ts";

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
  /** The other instances in Redis mode; none by default. */
  cluster?: RelayCluster;
  /** The TURN server whose credentials each authenticated socket is handed. */
  turn?: TurnConfig | null;
  /** Longest lifetime from creation an extension may give, in seconds; none when absent. */
  maxLifetime?: number;
  /** Bytes of frames per second one socket may send, with two seconds' worth as burst. */
  sendBytesPerSecond?: number;
  /**
   * An authenticated socket silent for this long is closed (1001), in
   * milliseconds; it is sent a `ping` after half of it. None when absent.
   */
  idleTimeoutMs?: number;
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
  /** What each frame's handling needs of the hub, made once for all sockets. */
  #frames: FrameContext;
  /** What every socket's events call, made once for all sockets. */
  #events: SocketEvents;
  /** The one timer of every room's expiry. */
  #expiries = new ExpirySchedule((ids) => {
    for (const id of ids) {
      const room = this.#rooms.get(id);
      if (room !== undefined) this.#expire(room);
    }
  });
  /** The one timer of every socket's liveness; null without an idle timeout. */
  #liveness: LivenessSweep | null;

  constructor(options: RelayHubOptions) {
    this.#options = options;
    this.#frames = {
      options,
      pace: {
        sendPerSecond: options.sendPerSecond ?? DEFAULT_SEND_PER_SECOND,
        sendBytesPerSecond: options.sendBytesPerSecond,
      },
      isOpen: (room) => this.#rooms.get(room.id) === room,
      expire: (room) => this.#expire(room),
      closeConversation: (id, reason) => this.closeConversation(id, reason),
      extended: (room, record) => {
        if (this.#rooms.get(room.id) !== room) return;
        if (room.extendTo(Date.parse(record.expiresAt))) {
          this.#expiries.set(room.id, room.expiresAt);
        }
        room.broadcast({ type: "extended", expiresAt: record.expiresAt });
      },
    };
    this.#events = {
      open: (socket) => {
        if (socket.endUpgrade()) this.#upgradingCount--;
        // A socket closed while connecting (at its deadline or by shutdown) closes now.
        if (socket.opened()) socket.challenge();
      },
      message: (room, socket, data) => {
        // Most frames are relayed at once; the others settle later.
        handleFrame(this.#frames, room, socket, data)?.catch((error) => {
          if (toldUnavailable(socket, error)) return;
          this.#options.log("socket_failed", {
            conversation: shortId(room.id),
            error: error instanceof Error ? error.name : "unknown",
          });
          socket.close(CLOSE_INTERNAL, "internal error");
        });
      },
      ended: (room, socket) => {
        if (socket.endUpgrade()) this.#upgradingCount--;
        this.#release(room, socket);
      },
    };
    this.#liveness = options.idleTimeoutMs === undefined ? null : new LivenessSweep({
      idleTimeoutMs: options.idleTimeoutMs,
      rooms: () => this.#rooms.values(),
      onSilent: (room, socket) => {
        socket.close(CLOSE_GOING_AWAY, "idle_timeout");
        // Released now, not when the close handshake ends: a dead peer never answers it.
        this.#release(room, socket);
      },
    });
    options.cluster?.listen(clusterListener({
      store: options.store,
      rooms: this.#rooms,
      joinedHere: (id, participant) => this.#joinedHere(id, participant),
      closeConversation: (id, reason) => this.closeConversation(id, reason),
      dropConversation: (id) => this.#drop(id, (s) => s.close(CLOSE_GOING_AWAY, "gone")),
    }));
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
    const socket = new RelaySocket(webSocket, this.#frames.pace, onRelease);
    room.sockets.add(socket);
    this.#socketCount++;
    this.#upgradingCount++;
    this.#liveness?.start();
    socket.startDeadline(this.#options.authTimeoutMs, () => this.#onDeadline(room, socket));
    // One small listener object per socket, not a closure per event type.
    const listener = new SocketListener(this.#events, room, socket);
    // A failed upgrade fires "error" alone; an open socket fires "close" after it.
    for (const type of ["open", "message", "close", "error"]) {
      webSocket.addEventListener(type, listener);
    }
  }

  /** Tells the connected sockets of a conversation that someone joined. */
  notifyJoined(conversation: ConversationRecord, participant: Participant): void {
    this.#joinedHere(conversation.id, participant);
    this.#options.cluster?.joined(conversation.id, participant);
  }

  #joinedHere(id: string, participant: Participant): void {
    this.#changes++;
    const room = this.#rooms.get(id);
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
    this.#drop(id, (socket) => {
      socket.send({ type: "closed", reason });
      socket.close(CLOSE_NORMAL, reason);
    });
  }

  /** Forgets a conversation's room, ending each socket with `end`. */
  #drop(id: string, end: (socket: RelaySocket) => void): void {
    const room = this.#rooms.get(id);
    if (room === undefined) return;
    this.#rooms.delete(id);
    this.#options.cluster?.unwatch(id);
    this.#expiries.delete(id);
    for (const socket of [...room.sockets]) {
      end(socket);
      this.#release(room, socket);
    }
  }

  /** Closes and releases every socket, for shutdown; no socket is accepted after. */
  close(): void {
    this.#closed = true;
    this.#liveness?.stop();
    for (const id of [...this.#rooms.keys()]) {
      this.#drop(id, (socket) => socket.close(CLOSE_GOING_AWAY, "server shutting down"));
    }
    this.#expiries.close();
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
    if (this.#options.cluster) joinCluster(room, this.#options.cluster);
    this.#expiries.set(room.id, room.expiresAt);
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
    if (--this.#socketCount === 0) this.#liveness?.stop();
    const id = socket.participantId;
    if (id !== null && !room.isOnline(id)) {
      this.#options.cluster?.announce(room.id, id, false);
      if (!room.elsewhere(id)) room.broadcastPresence(id, false);
    }
    if (room.sockets.size === 0 && this.#rooms.get(room.id) === room) this.#drop(room.id, () => {});
  }
}
