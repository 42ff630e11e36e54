/**
 * Wire types shared by the server and the browser, each with a validating
 * parser. Everything that arrives from the network goes through one of these
 * parsers, which return a typed value or throw a `ProtocolError` whose message
 * says what is wrong.
 *
 * @module
 */
import { type AnyBundle, type Bundle, parseAnyBundle, parseBundle } from "./crypto/bundle.ts";
import { AUTH_NONCE_BYTES } from "./crypto/auth.ts";
import { decodeBase64Url } from "./crypto/encoding.ts";
import { ULID_REGEXP } from "./crypto/ulid.ts";

/** Bytes of an Ed25519 public key, which is what `accessKey` holds. */
export const ACCESS_KEY_BYTES = 32;

/** Bytes of the socket challenge nonce, as the auth signature expects. */
export const NONCE_BYTES = AUTH_NONCE_BYTES;

/** The most participants a conversation can hold. */
export const MAX_PARTICIPANTS = 2;

/** Input that does not match the wire contract. */
export class ProtocolError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

/** One participant as stored: an anonymous ID and public keys only. */
export interface Participant {
  id: string;
  bundle: AnyBundle;
}

/** The one JSON file the server keeps per conversation. */
export interface ConversationRecord {
  version: 1;
  id: string;
  createdAt: string;
  modifiedAt: string;
  expiresAt: string;
  accessKey: string;
  participants: Participant[];
}

/** Body of `POST /api/conversations`. */
export interface CreateConversationRequest {
  accessKey: string;
  bundle: Bundle;
  lifetime: number;
}

/** Body of `POST /api/conversations/:id/participants`. */
export interface JoinConversationRequest {
  bundle: Bundle;
}

/** Answer of the create and join endpoints. */
export interface AdmissionResponse {
  conversation: ConversationRecord;
  participantId: string;
}

/** Frames a client sends over the conversation socket. */
export type ClientFrame =
  | { type: "auth"; participantId: string; signature: string }
  | { type: "send"; id: string; to: string; body: string }
  | { type: "ack"; id: string; to: string }
  | { type: "delete" };

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
  | { type: "error"; code: string; message: string };

/** Reports whether `value` is a well-formed ULID. */
export function isUlid(value: unknown): value is string {
  return typeof value === "string" && ULID_REGEXP.test(value);
}

/** Returns `value` if it is a ULID, else throws a `ProtocolError` naming `name`. */
export function parseUlid(value: unknown, name: string): string {
  if (!isUlid(value)) {
    throw new ProtocolError(`Invalid ${name}: expected a ULID`);
  }
  return value;
}

/** Returns the object if `value` is a plain JSON object with exactly `keys`. */
export function expectObject(
  value: unknown,
  name: string,
  keys: readonly string[],
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError(`Invalid ${name}: expected an object`);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!keys.includes(key)) {
      throw new ProtocolError(`Invalid ${name}: unexpected field "${key}"`);
    }
  }
  for (const key of keys) {
    if (!(key in record)) {
      throw new ProtocolError(`Invalid ${name}: missing field "${key}"`);
    }
  }
  return record;
}

function expectString(value: unknown, name: string, maxLength: number): string {
  if (typeof value !== "string") {
    throw new ProtocolError(`Invalid ${name}: expected a string`);
  }
  if (value.length > maxLength) {
    throw new ProtocolError(
      `Invalid ${name}: longer than ${maxLength} characters`,
    );
  }
  return value;
}

function expectBase64Url(value: unknown, name: string, bytes?: number): string {
  const text = expectString(value, name, Number.MAX_SAFE_INTEGER);
  try {
    decodeBase64Url(text, { length: bytes, name });
  } catch (error) {
    throw new ProtocolError(`Invalid ${name}: ${(error as Error).message}`);
  }
  return text;
}

function expectBundle(value: unknown): AnyBundle {
  try {
    return parseAnyBundle(value);
  } catch (error) {
    throw new ProtocolError(`Invalid bundle: ${(error as Error).message}`);
  }
}

/** New participants must bring current-version bundles; stored ones may be older. */
function expectCurrentBundle(value: unknown): Bundle {
  try {
    return parseBundle(value);
  } catch (error) {
    throw new ProtocolError(`Invalid bundle: ${(error as Error).message}`);
  }
}

function expectTimestamp(value: unknown, name: string): string {
  const text = expectString(value, name, 64);
  if (Number.isNaN(Date.parse(text)) || new Date(text).toISOString() !== text) {
    throw new ProtocolError(`Invalid ${name}: expected an ISO 8601 timestamp`);
  }
  return text;
}

/** Parses the body of `POST /api/conversations`. */
export function parseCreateConversationRequest(
  value: unknown,
): CreateConversationRequest {
  const body = expectObject(value, "request", ["accessKey", "bundle", "lifetime"]);
  const lifetime = body.lifetime;
  if (
    typeof lifetime !== "number" || !Number.isSafeInteger(lifetime) ||
    lifetime < 1
  ) {
    throw new ProtocolError(
      "Invalid lifetime: expected a positive whole number of seconds",
    );
  }
  return {
    accessKey: expectBase64Url(body.accessKey, "accessKey", ACCESS_KEY_BYTES),
    bundle: expectCurrentBundle(body.bundle),
    lifetime,
  };
}

/** Parses the body of `POST /api/conversations/:id/participants`. */
export function parseJoinConversationRequest(
  value: unknown,
): JoinConversationRequest {
  const body = expectObject(value, "request", ["bundle"]);
  return { bundle: expectCurrentBundle(body.bundle) };
}

function parseParticipant(value: unknown): Participant {
  const participant = expectObject(value, "participant", ["id", "bundle"]);
  return {
    id: parseUlid(participant.id, "participant ID"),
    bundle: expectBundle(participant.bundle),
  };
}

/**
 * Parses a stored conversation record, as read from disk or received from
 * the server by a client (which must not trust its shape).
 */
export function parseConversationRecord(value: unknown): ConversationRecord {
  const record = expectObject(value, "conversation", [
    "version",
    "id",
    "createdAt",
    "modifiedAt",
    "expiresAt",
    "accessKey",
    "participants",
  ]);
  if (record.version !== 1) {
    throw new ProtocolError(
      `Unsupported conversation version ${JSON.stringify(record.version)}`,
    );
  }
  if (!Array.isArray(record.participants)) {
    throw new ProtocolError("Invalid participants: expected an array");
  }
  if (record.participants.length > MAX_PARTICIPANTS) {
    throw new ProtocolError(
      `Invalid participants: more than ${MAX_PARTICIPANTS}`,
    );
  }
  const participants = record.participants.map(parseParticipant);
  if (new Set(participants.map((p) => p.id)).size !== participants.length) {
    throw new ProtocolError("Invalid participants: duplicate ID");
  }
  return {
    version: 1,
    id: parseUlid(record.id, "conversation ID"),
    createdAt: expectTimestamp(record.createdAt, "createdAt"),
    modifiedAt: expectTimestamp(record.modifiedAt, "modifiedAt"),
    expiresAt: expectTimestamp(record.expiresAt, "expiresAt"),
    accessKey: expectBase64Url(record.accessKey, "accessKey", ACCESS_KEY_BYTES),
    participants,
  };
}

/** Parses the answer of the create and join endpoints. */
export function parseAdmissionResponse(value: unknown): AdmissionResponse {
  const body = expectObject(value, "response", ["conversation", "participantId"]);
  return {
    conversation: parseConversationRecord(body.conversation),
    participantId: parseUlid(body.participantId, "participant ID"),
  };
}

function parseJsonText(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError(`Invalid ${name}: not JSON`);
  }
}

function frameType(value: unknown, name: string): string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError(`Invalid ${name}: expected an object`);
  }
  const type = (value as Record<string, unknown>).type;
  if (typeof type !== "string") {
    throw new ProtocolError(`Invalid ${name}: missing "type"`);
  }
  return type;
}

/**
 * Parses a client frame. `maxBodyLength` bounds the base64url `body` of a
 * `send` frame.
 */
export function parseClientFrame(
  text: string,
  options: { maxBodyLength: number },
): ClientFrame {
  const value = parseJsonText(text, "frame");
  const type = frameType(value, "frame");
  switch (type) {
    case "auth": {
      const frame = expectObject(value, "auth frame", [
        "type",
        "participantId",
        "signature",
      ]);
      return {
        type,
        participantId: parseUlid(frame.participantId, "participant ID"),
        signature: expectBase64Url(frame.signature, "signature", 64),
      };
    }
    case "send": {
      const frame = expectObject(value, "send frame", ["type", "id", "to", "body"]);
      const body = expectString(frame.body, "body", options.maxBodyLength);
      return {
        type,
        id: parseUlid(frame.id, "message ID"),
        to: parseUlid(frame.to, "recipient ID"),
        body: expectBase64Url(body, "body"),
      };
    }
    case "ack": {
      const frame = expectObject(value, "ack frame", ["type", "id", "to"]);
      return {
        type,
        id: parseUlid(frame.id, "message ID"),
        to: parseUlid(frame.to, "recipient ID"),
      };
    }
    case "delete":
      expectObject(value, "delete frame", ["type"]);
      return { type };
    default:
      throw new ProtocolError(`Unknown frame type "${type.slice(0, 32)}"`);
  }
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

function expectBoolean(value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new ProtocolError("Invalid frame: expected a boolean");
  }
  return value;
}
