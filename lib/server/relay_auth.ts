/**
 * A relay socket's authentication: the participant signs the socket's
 * challenge with the signing key of its bundle; the server checks the
 * signature against the room's keys, that the conversation is still stored,
 * and the participant's socket limit, then admits the socket and tells the
 * room.
 *
 * @module
 */
import { verifyAuth } from "../crypto/auth.ts";
import { decodeBase64Url } from "../crypto/encoding.ts";
import type { ClientFrame } from "../protocol/client_frames.ts";
import type { ConversationStore } from "./conversation_store.ts";
import { type Logger, shortId } from "./log.ts";
import type { RelayRoom } from "./relay_room.ts";
import type { RelaySocket } from "./relay_socket.ts";
import { type TurnConfig, turnCredentials } from "./turn.ts";

/** What {@linkcode authenticate} checks against. */
export interface AuthContext {
  room: RelayRoom;
  socket: RelaySocket;
  frame: Extract<ClientFrame, { type: "auth" }>;
  store: ConversationStore;
  log: Logger;
  maxSocketsPerParticipant: number;
  /** Whether the room is still the hub's room for its conversation. */
  isOpen: () => boolean;
  /** The TURN server for calls, if configured: its credentials go to admitted sockets only. */
  turn?: TurnConfig | null;
}

/** Checks an `auth` frame and admits the socket, or rejects it with a reason. */
export async function authenticate(context: AuthContext): Promise<void> {
  const { room, socket, frame, log } = context;
  const nonce = socket.nonce;
  if (nonce === null) return socket.reject("bad_frame", "Already authenticated");
  if (!await stillStored(room, context.store)) {
    return socket.reject("not_found", "The conversation no longer exists");
  }
  const key = room.participants.get(frame.participantId);
  const valid = key !== undefined && await verifyAuth(
    decodeBase64Url(key),
    room.id,
    nonce,
    decodeBase64Url(frame.signature),
  );
  if (!valid) {
    log("auth_failed", { conversation: shortId(room.id) });
    return socket.reject("auth_failed", "Authentication failed");
  }
  // The room may have been closed while the signature was checked.
  if (!context.isOpen() || !room.sockets.has(socket)) return;
  const max = context.maxSocketsPerParticipant;
  if (room.socketsOf(frame.participantId) >= max) {
    log("socket_limit", { conversation: shortId(room.id) });
    return socket.reject(
      "too_many_sockets",
      `Too many sockets: a participant may hold at most ${max} at once`,
    );
  }
  socket.admit(frame.participantId);
  const peers = [...room.participants.keys()]
    .filter((id) => id !== frame.participantId)
    .map((id) => ({ id, online: room.isOnlineAnywhere(id) }));
  socket.send({ type: "ready", peers });
  if (context.turn) socket.send({ type: "turn", ...await turnCredentials(context.turn) });
  // Sent on every new socket, even when another is still open: a reload can
  // connect before the old socket is seen to close, and the peer must learn
  // to resend what this side has not acknowledged.
  room.broadcastPresence(frame.participantId, true);
}

/**
 * Whether the conversation is still stored, checked at each authentication:
 * a file removed from outside the relay must not be served. A room that may
 * have missed a join has its record read again, once; a current one only
 * asks whether the file is there.
 */
async function stillStored(room: RelayRoom, store: ConversationStore): Promise<boolean> {
  if (room.current) return await store.exists(room.id);
  const fresh = await store.get(room.id);
  if (fresh === null) return false;
  room.learn(fresh.participants);
  // The room was there all along the read: any later join reached it.
  room.current = true;
  return true;
}
