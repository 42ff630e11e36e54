/**
 * What the server sends: the answer of the create and join requests (parsed
 * by `admission_response.ts`), and the frames of the conversation socket.
 * Browsers parse each with these functions, since they must not trust the
 * relay.
 *
 * @module
 */
import { AUTH_NONCE_BYTES } from "../crypto/auth.ts";
import {
  type ConversationRecord,
  MAX_PARTICIPANTS,
  parseParticipant,
  type Participant,
} from "./conversation_record.ts";
import {
  expectBase64Url,
  expectBoolean,
  expectObject,
  expectString,
  expectTimestamp,
  frameType,
  parseJsonText,
  parseUlid,
  ProtocolError,
} from "./validate.ts";

/** Bytes of the socket challenge nonce, as the auth signature expects. */
export const NONCE_BYTES = AUTH_NONCE_BYTES;

/** Answer of the create and join endpoints. */
export interface AdmissionResponse {
  conversation: ConversationRecord;
  participantId: string;
}

/** A `turn:` or `turns:` URL (RFC 7065), with an optional `?transport=udp|tcp`. */
export const TURN_URL = /^turns?:[A-Za-z0-9.\-\[\]:]{1,200}(\?transport=(udp|tcp))?$/;

/** Why the server closed a conversation. */
export type ClosedReason = "deleted" | "expired";

/** Frames the server sends over the conversation socket. */
export type ServerFrame =
  | { type: "challenge"; nonce: string }
  | { type: "ready"; peers: { id: string; online: boolean }[] }
  | { type: "message"; id: string; from: string; body: string }
  | { type: "ack"; id: string; from: string }
  | { type: "presence"; participantId: string; online: boolean }
  | { type: "joined"; participant: Participant }
  | { type: "closed"; reason: ClosedReason }
  | { type: "turn"; urls: string[]; username: string; credential: string }
  | { type: "extend_requested"; expiresAt: string }
  | { type: "extended"; expiresAt: string }
  | { type: "error"; code: string; message: string }
  /** Liveness: sent to an authenticated socket silent for half the idle time; answer `pong`. */
  | { type: "ping" };

/**
 * The text of a `message` frame, as `JSON.stringify` would write it, built
 * without serializing the body again. Only for checked values: `id` and
 * `from` ULIDs and `body` base64url, none of whose characters JSON escapes.
 */
export function messageFrameText(id: string, from: string, body: string): string {
  return '{"type":"message","id":"' + id + '","from":"' + from + '","body":"' + body + '"}';
}

/** Parses a server frame; used by clients, which must not trust the relay. */
export function parseServerFrame(
  text: string,
  options: { maxBodyLength: number },
): ServerFrame {
  const value = parseJsonText(text, "frame");
  const type = frameType(value, "frame");
  switch (type) {
    case "challenge": {
      const frame = expectObject(value, "challenge frame", ["type", "nonce"]);
      return { type, nonce: expectBase64Url(frame.nonce, "nonce", NONCE_BYTES) };
    }
    case "ready": {
      const frame = expectObject(value, "ready frame", ["type", "peers"]);
      if (!Array.isArray(frame.peers) || frame.peers.length >= MAX_PARTICIPANTS) {
        throw new ProtocolError("Invalid peers: expected at most one peer");
      }
      const peers = frame.peers.map((peer) => {
        const p = expectObject(peer, "peer", ["id", "online"]);
        return { id: parseUlid(p.id, "peer ID"), online: expectBoolean(p.online) };
      });
      return { type, peers };
    }
    case "message": {
      const frame = expectObject(value, "message frame", [
        "type",
        "id",
        "from",
        "body",
      ]);
      const body = expectString(frame.body, "body", options.maxBodyLength);
      return {
        type,
        id: parseUlid(frame.id, "message ID"),
        from: parseUlid(frame.from, "sender ID"),
        body: expectBase64Url(body, "body"),
      };
    }
    case "ack": {
      const frame = expectObject(value, "ack frame", ["type", "id", "from"]);
      return {
        type,
        id: parseUlid(frame.id, "message ID"),
        from: parseUlid(frame.from, "sender ID"),
      };
    }
    case "presence": {
      const frame = expectObject(value, "presence frame", [
        "type",
        "participantId",
        "online",
      ]);
      return {
        type,
        participantId: parseUlid(frame.participantId, "participant ID"),
        online: expectBoolean(frame.online),
      };
    }
    case "joined": {
      const frame = expectObject(value, "joined frame", ["type", "participant"]);
      return { type, participant: parseParticipant(frame.participant) };
    }
    case "closed": {
      const frame = expectObject(value, "closed frame", ["type", "reason"]);
      if (frame.reason !== "deleted" && frame.reason !== "expired") {
        throw new ProtocolError("Invalid closed frame: unknown reason");
      }
      return { type, reason: frame.reason };
    }
    case "turn": {
      const frame = expectObject(value, "turn frame", ["type", "urls", "username", "credential"]);
      if (
        !Array.isArray(frame.urls) || frame.urls.length < 1 || frame.urls.length > 4 ||
        !frame.urls.every((url) => typeof url === "string" && TURN_URL.test(url))
      ) {
        throw new ProtocolError("Invalid turn frame: expected 1 to 4 turn: URLs");
      }
      return {
        type,
        urls: frame.urls as string[],
        username: expectString(frame.username, "username", 128),
        credential: expectString(frame.credential, "credential", 128),
      };
    }
    case "extend_requested":
    case "extended": {
      const frame = expectObject(value, `${type} frame`, ["type", "expiresAt"]);
      return { type, expiresAt: expectTimestamp(frame.expiresAt, "expiresAt") };
    }
    case "ping":
      expectObject(value, "ping frame", ["type"]);
      return { type };
    case "error": {
      const frame = expectObject(value, "error frame", ["type", "code", "message"]);
      return {
        type,
        code: expectString(frame.code, "code", 64),
        message: expectString(frame.message, "message", 1024),
      };
    }
    default:
      throw new ProtocolError(`Unknown frame type "${type.slice(0, 32)}"`);
  }
}
