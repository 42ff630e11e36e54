/**
 * What the relay hub needs from other instances serving the same
 * conversations: whether a participant has a socket elsewhere, a way to pass
 * a frame there, and news of presence, joins and closes from there. Without
 * `REDIS_URL` the hub has no cluster and everything stays in one process;
 * `lib/server/redis/cluster.ts` is the Redis implementation.
 *
 * @module
 */
import type { Participant } from "../protocol/conversation_record.ts";
import type { ClosedReason } from "../protocol/server_frames.ts";

/** What a cluster tells the hub of this instance. */
export interface ClusterListener {
  /** A frame from another instance for `to`'s sockets here. */
  deliver(conversationId: string, to: string, text: string): void;
  /** A participant came online or went offline on another instance (or that instance died). */
  presence(conversationId: string, participantId: string, online: boolean): void;
  /** Someone joined through another instance. */
  joined(conversationId: string, participant: Participant): void;
  /** The conversation was closed through another instance. */
  closed(conversationId: string, reason: ClosedReason): void;
  /** The link to the other instances was lost (`up` false) or is back. */
  link(up: boolean): void;
}

/** The other instances, as the hub of this one sees them. */
export interface RelayCluster {
  /** Sets who hears from the other instances; called once by the hub. */
  listen(listener: ClusterListener): void;
  /**
   * Follows a conversation that has sockets here; resolves once who is
   * online elsewhere is known. Never rejects.
   */
  watch(conversationId: string): Promise<void>;
  /** Stops following a conversation that has no socket here any more. */
  unwatch(conversationId: string): void;
  /** Whether `participantId` has a socket on another live instance. */
  onlineElsewhere(conversationId: string, participantId: string): boolean;
  /** Tells the others that `participantId` has a first socket here, a new one, or none left. */
  announce(conversationId: string, participantId: string, online: boolean): void;
  /** Passes a frame to `to`'s sockets elsewhere; false when it cannot be sent now. */
  forward(conversationId: string, to: string, text: string): boolean;
  /** Tells the others that someone joined here. */
  joined(conversationId: string, participant: Participant): void;
  /** Tells the others that the conversation was closed here. */
  closed(conversationId: string, reason: ClosedReason): void;
  /** Leaves: presence here is withdrawn and the lease given up. */
  close(): Promise<void>;
}
