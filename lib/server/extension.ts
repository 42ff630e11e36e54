/**
 * Extending a conversation: both participants agree on a later end. The
 * server learns only the new `expiresAt`. Each participant's authenticated
 * socket sends `{"type":"extend","expiresAt":…}`; the first request is passed
 * on to the other participant's sockets as `extend_requested`, and once both
 * have asked for the same instant the record is rewritten (and flushed to
 * disk), the expiry schedule and the room's timer move, and every socket is
 * told `extended`. A conversation may live at most the operator's
 * `MAX_LIFETIME` counted from its creation, so extending never makes it
 * outlive what a new conversation could be given.
 *
 * This file holds the pure rule for the record and the relay's side of the
 * agreement; a store applies the rule under its own lock.
 *
 * @module
 */
import type { ConversationRecord } from "../protocol/conversation_record.ts";
import type { ConversationStore } from "./conversation_store.ts";
import { HttpError } from "./http_error.ts";
import type { RelayRoom } from "./relay_room.ts";
import type { RelaySocket } from "./relay_socket.ts";

/** How long a request waits for the other participant's, in milliseconds. */
export const EXTEND_REQUEST_TTL_MS = 15 * 60 * 1000;

/**
 * The record with its end moved to `expiresAt` and `modifiedAt` set to
 * `now`; throws an `HttpError` (and changes nothing) when the conversation is
 * gone, the new end is not later than the current one, or it lies beyond
 * `maxLifetime` seconds after the creation.
 */
export function extendedRecord(
  current: ConversationRecord | null,
  id: string,
  expiresAt: string,
  maxLifetime: number,
  now: number,
): ConversationRecord {
  if (current === null) {
    throw new HttpError(404, "not_found", `Cannot extend conversation "${id}": it does not exist`);
  }
  const wanted = Date.parse(expiresAt);
  if (!(wanted > Date.parse(current.expiresAt)) || !(wanted > now)) {
    throw new HttpError(
      409,
      "not_later",
      `Cannot extend conversation "${id}": the new end must be later than the current one`,
    );
  }
  const limit = Date.parse(current.createdAt) + maxLifetime * 1000;
  if (wanted > limit) {
    throw new HttpError(
      422,
      "lifetime_too_long",
      `Cannot extend conversation "${id}": this server keeps a conversation at most ${maxLifetime} seconds from its creation, until ${
        new Date(limit).toISOString()
      }`,
    );
  }
  return {
    ...current,
    expiresAt: new Date(wanted).toISOString(),
    modifiedAt: new Date(now).toISOString(),
  };
}

/** One participant's standing request. */
interface Request {
  expiresAt: string;
  socket: RelaySocket;
  at: number;
}

/** Standing requests per room: participant ID → request. Forgotten with the room. */
const requests = new WeakMap<RelayRoom, Map<string, Request>>();

/** What the relay tells {@linkcode requestExtension} of the room and the store. */
export interface ExtensionContext {
  room: RelayRoom;
  /** The authenticated socket that asked. */
  socket: RelaySocket;
  participantId: string;
  expiresAt: string;
  store: Pick<ConversationStore, "get" | "extend">;
  /** Longest lifetime from creation, in seconds (the operator's `MAX_LIFETIME`). */
  maxLifetime: number;
  /** Moves the room's timer and tells every socket; called once applied. */
  onExtended(record: ConversationRecord): void;
  now?: () => number;
}

/**
 * Records a participant's request and applies it when the other
 * participant's open socket asked for the same end; otherwise passes it on.
 * A refusal is sent to the asking socket as an error frame, which leaves it
 * open and changes nothing.
 */
export async function requestExtension(context: ExtensionContext): Promise<void> {
  const { room, socket, participantId, expiresAt, store, maxLifetime } = context;
  const now = (context.now ?? Date.now)();
  const standing = requests.get(room) ?? new Map<string, Request>();
  requests.set(room, standing);
  try {
    // An end the store would refuse is refused before the other person is asked.
    extendedRecord(await store.get(room.id), room.id, expiresAt, maxLifetime, now);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return socket.sendError(error.code, error.message);
  }
  const other = [...room.participants.keys()].find((id) => id !== participantId);
  const theirs = other === undefined ? undefined : standing.get(other);
  const agreed = theirs !== undefined && theirs.expiresAt === expiresAt &&
    now - theirs.at <= EXTEND_REQUEST_TTL_MS && room.sockets.has(theirs.socket) &&
    !theirs.socket.released;
  if (!agreed) {
    if (other === undefined || !room.isOnline(other)) {
      return socket.sendError("peer_offline", "Both people must be online to extend");
    }
    standing.set(participantId, { expiresAt, socket, at: now });
    room.relay(participantId, other, JSON.stringify({ type: "extend_requested", expiresAt }));
    return;
  }
  let record: ConversationRecord;
  try {
    record = await store.extend(room.id, expiresAt, maxLifetime);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    standing.delete(participantId);
    return socket.sendError(error.code, error.message);
  }
  standing.clear();
  context.onExtended(record);
}
