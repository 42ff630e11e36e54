/**
 * One conversation on the relay: its open sockets, the signing keys of its
 * participants, when it expires, and how a frame passes from one participant
 * to the other's sockets. The hub creates and forgets rooms, and keeps one
 * timer for the expiry of them all; a room never reads the disk.
 *
 * @module
 */
import type { ConversationRecord, Participant } from "../protocol/conversation_record.ts";
import { RelaySpelling } from "../protocol/relay_frame_scanner.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";
import type { RelaySocket } from "./relay_socket.ts";

/** The one settled promise every room without a cluster waits on. */
const KNOWN: Promise<void> = Promise.resolve();

/** Whether a participant has a socket on another instance: never, without a cluster. */
const NOWHERE = (_participantId: string): boolean => false;

/** The sockets and participants of one conversation. */
export class RelayRoom {
  /** The conversation ID. */
  readonly id: string;
  /** Every open socket, authenticated or not. */
  readonly sockets: Set<RelaySocket> = new Set();
  /**
   * Participant ID → base64url signing key: all that relaying and
   * authenticating need, so neither reads the disk nor keeps whole bundles.
   */
  readonly participants: Map<string, string> = new Map();
  /** When the conversation expires, in milliseconds since the epoch; only extended. */
  expiresAt: number;
  /**
   * Whether {@linkcode RelayRoom.participants} is known to be complete: false
   * while a join may have happened between the read of the record the room
   * was made from and the room's creation, when the hub had no room to tell.
   */
  current: boolean;
  /** Whether a participant has a socket on another instance; never without a cluster. */
  elsewhere: (participantId: string) => boolean = NOWHERE;
  /** Passes a frame to the recipient's sockets on other instances; tells whether it went. */
  forward: ((to: string, text: string) => boolean) | null = null;
  /** Resolves once who is online on other instances is known. */
  watching: Promise<void> = KNOWN;

  constructor(conversation: ConversationRecord, current: boolean) {
    this.id = conversation.id;
    this.expiresAt = Date.parse(conversation.expiresAt);
    this.current = current;
    this.learn(conversation.participants);
  }

  /** Adds the participants of a record read from the store; none ever leaves. */
  learn(participants: readonly Participant[]): void {
    for (const p of participants) this.participants.set(p.id, p.bundle.sign);
  }

  /**
   * The fast spellings of the frames `from` sends the other participant;
   * null until both are known, and for anyone else.
   */
  spellingOf(from: string): RelaySpelling | null {
    if (this.participants.size !== 2 || !this.participants.has(from)) return null;
    for (const to of this.participants.keys()) {
      if (to !== from) return new RelaySpelling(from, to);
    }
    return null;
  }

  /** Moves the end to `expiresAt` if that is later; tells whether it moved. */
  extendTo(expiresAt: number): boolean {
    if (expiresAt <= this.expiresAt) return false;
    this.expiresAt = expiresAt;
    return true;
  }

  /**
   * Sends the frame `text` to every socket of `to`. A `sender` is told when
   * `to` is not the other participant, or has no open socket.
   */
  relay(from: string, to: string, text: string, sender?: RelaySocket): void {
    if (to === from || !this.participants.has(to)) {
      sender?.sendError("unknown_recipient", "Unknown recipient");
      return;
    }
    // Sockets here first; other instances only when the recipient has a socket there.
    let delivered = this.deliver(to, text);
    if (this.elsewhere(to) && this.forward?.(to, text)) delivered = true;
    if (!delivered) sender?.sendError("peer_offline", "The recipient is offline");
  }

  /** Sends the frame `text` to every socket of `to` on this instance; tells whether one got it. */
  deliver(to: string, text: string): boolean {
    let delivered = false;
    for (const socket of this.sockets) {
      if (socket.participantId === to) {
        delivered = socket.sendText(text) || delivered;
      }
    }
    return delivered;
  }

  /** Tells every other authenticated socket that `participantId` came or went. */
  broadcastPresence(participantId: string, online: boolean): void {
    for (const socket of this.sockets) {
      if (socket.participantId !== null && socket.participantId !== participantId) {
        socket.send({ type: "presence", participantId, online });
      }
    }
  }

  /** Sends `frame` to every authenticated socket. */
  broadcast(frame: ServerFrame): void {
    for (const socket of this.sockets) {
      if (socket.participantId !== null) socket.send(frame);
    }
  }

  /** Tells whether `participantId` has an authenticated socket open. */
  isOnline(participantId: string): boolean {
    for (const socket of this.sockets) {
      if (socket.participantId === participantId) return true;
    }
    return false;
  }

  /** Tells whether `participantId` has an authenticated socket here or on another instance. */
  isOnlineAnywhere(participantId: string): boolean {
    return this.isOnline(participantId) || this.elsewhere(participantId);
  }

  /** Counts the authenticated sockets of `participantId`. */
  socketsOf(participantId: string): number {
    let count = 0;
    for (const socket of this.sockets) {
      if (socket.participantId === participantId) count++;
    }
    return count;
  }
}
