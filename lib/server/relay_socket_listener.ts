/**
 * How a relay socket's events reach the hub: one {@linkcode SocketListener}
 * per socket, passed to `addEventListener` as an object with `handleEvent`,
 * and one {@linkcode SocketEvents} per hub.
 *
 * @module
 */
import type { RelayRoom } from "./relay_room.ts";
import type { RelaySocket } from "./relay_socket.ts";

/** What a socket's events do, given its room: one object per hub. */
export interface SocketEvents {
  open(socket: RelaySocket): void;
  message(room: RelayRoom, socket: RelaySocket, data: unknown): void;
  /** On "close" or "error". */
  ended(room: RelayRoom, socket: RelaySocket): void;
}

/**
 * The listener of one socket's "open", "message", "close" and "error" events:
 * one small object per socket instead of a closure per event type, which is
 * what an idle socket keeps.
 */
export class SocketListener {
  #events: SocketEvents;
  #room: RelayRoom;
  #socket: RelaySocket;

  constructor(events: SocketEvents, room: RelayRoom, socket: RelaySocket) {
    this.#events = events;
    this.#room = room;
    this.#socket = socket;
  }

  handleEvent(event: Event): void {
    if (event.type === "message") {
      this.#events.message(this.#room, this.#socket, (event as MessageEvent).data);
    } else if (event.type === "open") {
      // Once open, "close" follows any "error": an idle socket keeps two listeners, not four.
      const target = event.target as WebSocket;
      target.removeEventListener("open", this);
      target.removeEventListener("error", this);
      this.#events.open(this.#socket);
    } else this.#events.ended(this.#room, this.#socket);
  }
}
