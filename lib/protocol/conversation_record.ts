/**
 * The conversation record: the one JSON file the server keeps per
 * conversation, and what it answers to `GET /api/conversations/:id`. The
 * server parses it from disk and the browser from the network, which it must
 * not trust.
 *
 * @module
 */
import { type AnyBundle, parseAnyBundle } from "../crypto/bundle_format.ts";
import {
  expectBase64Url,
  expectObject,
  expectTimestamp,
  parseUlid,
  ProtocolError,
} from "./validate.ts";

/** Bytes of an Ed25519 public key, which is what `accessKey` holds. */
export const ACCESS_KEY_BYTES = 32;

/** The most participants a conversation can hold. */
export const MAX_PARTICIPANTS = 2;

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

/**
 * Parses a participant. Stored bundles may be of an older version; only
 * new participants must bring current ones (see `client_frames.ts`).
 */
export function parseParticipant(value: unknown): Participant {
  const participant = expectObject(value, "participant", ["id", "bundle"]);
  return {
    id: parseUlid(participant.id, "participant ID"),
    bundle: expectBundle(participant.bundle),
  };
}

function expectBundle(value: unknown): AnyBundle {
  try {
    return parseAnyBundle(value);
  } catch (error) {
    throw new ProtocolError(`Invalid bundle: ${(error as Error).message}`);
  }
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
