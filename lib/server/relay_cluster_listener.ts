/**
 * How the relay hub of this instance answers news from the other instances:
 * frames for its sockets, presence, joins and closes, and the loss and
 * return of the link between them.
 *
 * @module
 */
import type { Participant } from "../protocol/conversation_record.ts";
import type { ClosedReason } from "../protocol/server_frames.ts";
import type { ConversationStore } from "./conversation_store.ts";
import { HttpError } from "./http_error.ts";
import type { ClusterListener, RelayCluster } from "./relay_cluster.ts";
import type { RelayRoom } from "./relay_room.ts";
import type { RelaySocket } from "./relay_socket.ts";

/** The parts of the hub a {@linkcode ClusterListener} acts on. */
export interface HubView {
  store: ConversationStore;
  /** Conversation ID → its room on this instance. */
  rooms: ReadonlyMap<string, RelayRoom>;
  joinedHere(id: string, participant: Participant): void;
  closeConversation(id: string, reason: ClosedReason): void;
  /** Closes a conversation's sockets with 1001, so their browsers connect again. */
  dropConversation(id: string): void;
}

/** The listener that passes the other instances' news to the hub `hub`. */
export function clusterListener(hub: HubView): ClusterListener {
  return {
    deliver(conversationId, to, text) {
      hub.rooms.get(conversationId)?.deliver(to, text);
    },
    presence(conversationId, participantId, online) {
      const room = hub.rooms.get(conversationId);
      // Gone elsewhere is news only if not still here.
      if (room !== undefined && (online || !room.isOnline(participantId))) {
        room.broadcastPresence(participantId, online);
      }
    },
    joined: (conversationId, participant) => hub.joinedHere(conversationId, participant),
    closed: (conversationId, reason) => hub.closeConversation(conversationId, reason),
    link(up) {
      for (const room of [...hub.rooms.values()]) {
        if (!up) {
          for (const socket of room.sockets) {
            if (socket.participantId === null) continue;
            socket.sendError(
              "unavailable",
              "The server lost its link to the other instances: messages may wait",
            );
          }
          continue;
        }
        // Redis may have come back empty: a conversation gone with it ends,
        // and the browsers learn so when they connect again (404 not_found).
        hub.store.exists(room.id).then((exists) => {
          if (!exists) hub.dropConversation(room.id);
        }, () => {});
      }
    },
  };
}

/** Lets a new room reach the recipient's sockets on other instances through `cluster`. */
export function joinCluster(room: RelayRoom, cluster: RelayCluster): void {
  room.elsewhere = (participant) => cluster.onlineElsewhere(room.id, participant);
  room.forward = (to, text) => cluster.forward(room.id, to, text);
  room.watching = cluster.watch(room.id);
}

/**
 * Tells an authenticated socket that its frame failed because Redis is
 * unreachable (a 503 from the store), leaving it open; false for any other
 * failure, which closes the socket.
 */
export function toldUnavailable(socket: RelaySocket, error: unknown): boolean {
  if (!(error instanceof HttpError) || error.status !== 503) return false;
  if (socket.participantId === null) return false;
  socket.sendError(error.code, error.message);
  return true;
}
