/**
 * What the relay does with each frame a socket sends: the pace, the
 * conversation's end, authentication, and relaying. The frames nearly every
 * message is made of, `send` and `ack` in the spellings clients write, take
 * a fast path that reads the clock once, parses no JSON, allocates no
 * promise and passes on the `message` frame a `send` carries, or splices
 * the body into it (`relay_frame_scanner.ts`); every other frame is parsed
 * in full by `parseClientFrame` and refused as before.
 *
 * @module
 */
import type { ConversationRecord } from "../protocol/conversation_record.ts";
import { type ClosedReason, messageFrameText } from "../protocol/server_frames.ts";
import { requestExtension } from "./extension.ts";
import { shortId } from "./log.ts";
import { authenticate } from "./relay_auth.ts";
import type { RelayHubOptions } from "./relay_hub.ts";
import type { RelayRoom } from "./relay_room.ts";
import type { RelaySocket, RelaySocketOptions } from "./relay_socket.ts";

/** What frame handling needs of the hub; one per hub, shared by its sockets. */
export interface FrameContext {
  options: RelayHubOptions;
  /** The pace every socket of the hub keeps. */
  pace: RelaySocketOptions;
  /** Whether `room` is still the hub's room for its conversation. */
  isOpen(room: RelayRoom): boolean;
  /** Closes an expired conversation and removes its file. */
  expire(room: RelayRoom): void;
  closeConversation(id: string, reason: ClosedReason): void;
  /** Moves an open room's end to the extended record's. */
  extended(room: RelayRoom, record: ConversationRecord): void;
}

/**
 * Handles one frame `data` of `socket`; a promise when the frame needs the
 * store or the signature check (authentication, delete, extend), whose
 * rejection the caller handles, and undefined when all is done.
 */
export function handleFrame(
  context: FrameContext,
  room: RelayRoom,
  socket: RelaySocket,
  data: unknown,
): Promise<void> | undefined {
  // A released socket is closing and holds no place: nothing it sends counts.
  if (socket.released) return;
  const now = Date.now();
  // A timer can fire late; a conversation is never served past expiresAt.
  if (now >= room.expiresAt) {
    context.expire(room);
    return;
  }
  const text = typeof data === "string" ? data : null;
  const over = socket.takeFrame(text === null ? 0 : text.length, now);
  if (over !== null) {
    rateLimited(context, room, socket, over);
    return;
  }
  const from = socket.participantId;
  const { maxFrameBytes } = context.options;
  // A scanned frame is ASCII: its length is its size in bytes.
  if (from !== null && text !== null && text.length <= maxFrameBytes) {
    const spelling = socket.spelling ??= room.spellingOf(from);
    if (spelling !== null) {
      const message = spelling.message(text, maxFrameBytes);
      if (message !== null) {
        room.relay(from, spelling.to, message, socket);
        return;
      }
      const ack = spelling.ack(text);
      if (ack !== null) {
        room.relay(from, spelling.to, ack);
        return;
      }
    }
  }
  return parsedFrame(context, room, socket, data);
}

function rateLimited(
  context: FrameContext,
  room: RelayRoom,
  socket: RelaySocket,
  over: "frames" | "bytes",
): void {
  context.options.log("socket_rate_limited", { conversation: shortId(room.id) });
  socket.reject(
    "rate_limited",
    over === "frames"
      ? `Too many frames: at most ${context.pace.sendPerSecond} per second`
      : `Too many bytes: at most ${context.pace.sendBytesPerSecond} per second`,
  );
}

/** Any frame, parsed in full: refused if malformed, else handled. */
async function parsedFrame(
  context: FrameContext,
  room: RelayRoom,
  socket: RelaySocket,
  data: unknown,
): Promise<void> {
  const { options } = context;
  const frame = socket.readFrame(data, options.maxFrameBytes);
  if (frame === null) return;
  if (socket.participantId === null) {
    if (frame.type !== "auth") {
      return socket.reject("not_authenticated", "Authenticate first");
    }
    await room.watching;
    await authenticate({
      room,
      socket,
      frame,
      store: options.store,
      log: options.log,
      maxSocketsPerParticipant: options.maxSocketsPerParticipant ?? Infinity,
      turn: options.turn ?? null,
      isOpen: () => context.isOpen(room),
    });
    const admitted = socket.participantId;
    return admitted === null ? undefined : options.cluster?.announce(room.id, admitted, true);
  }
  const from = socket.participantId;
  switch (frame.type) {
    case "auth":
      return socket.reject("bad_frame", "Already authenticated");
    case "send":
      if (frame.from !== undefined && frame.from !== from) {
        return socket.reject("bad_frame", "A carried frame must be from its sender");
      }
      // The body is checked base64url and the IDs ULIDs: nothing to escape.
      return room.relay(from, frame.to, messageFrameText(frame.id, from, frame.body), socket);
    case "ack":
      return room.relay(
        from,
        frame.to,
        JSON.stringify({ type: "ack", id: frame.id, from }),
      );
    case "pong":
      // A sign of life only, already counted by takeFrame; never relayed.
      return;
    case "delete":
      // Logged once: both people may delete at the same moment.
      if (await options.store.delete(room.id)) {
        options.log("conversation_deleted", { conversation: shortId(room.id) });
      }
      context.closeConversation(room.id, "deleted");
      return options.cluster?.closed(room.id, "deleted");
    case "extend":
      return await requestExtension({
        room,
        socket,
        participantId: from,
        expiresAt: frame.expiresAt,
        store: options.store,
        maxLifetime: options.maxLifetime ?? Infinity,
        onExtended: (record) => {
          options.log("conversation_extended", { conversation: shortId(room.id) });
          context.extended(room, record);
        },
      });
  }
}
