/**
 * What a client sends: the bodies of the create and join requests, and the
 * frames of the conversation socket. The server parses each with these
 * functions, which return a typed value or throw a `ProtocolError`.
 *
 * @module
 */
import { type Bundle, parseBundle } from "../crypto/bundle.ts";
import { assertNotSmallOrder, SmallOrderKeyError } from "../crypto/ed25519_key_check.ts";
import { decodeBase64Url } from "../crypto/encoding.ts";
import { ACCESS_KEY_BYTES } from "./conversation_record.ts";
import {
  expectBase64Url,
  expectObject,
  expectString,
  expectTimestamp,
  frameType,
  parseJsonText,
  parseUlid,
  ProtocolError,
} from "./validate.ts";

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

/** Frames a client sends over the conversation socket. */
export type ClientFrame =
  | { type: "auth"; participantId: string; signature: string }
  /**
   * A sealed body for `to`. Browsers write it as the `message` frame the
   * relay is to pass on, `{"type":"send","to":…,"frame":{"type":"message",
   * "id":…,"from":…,"body":…}}`, whose `from` is then here and must be the
   * sender's ID; the contract's `{"type":"send","id":…,"to":…,"body":…}`
   * has none.
   */
  | { type: "send"; id: string; to: string; body: string; from?: string }
  | { type: "ack"; id: string; to: string }
  | { type: "delete" }
  | { type: "extend"; expiresAt: string }
  /** Liveness: the answer to the server's `ping`; never relayed. */
  | { type: "pong" };

/** Code of the error for a small-order Ed25519 key, answered with 400. */
export const SMALL_ORDER_KEY_CODE = "small_order_key";

/**
 * New participants must bring current-version bundles, whose signing key is
 * not of small order; stored ones may be older.
 */
function expectCurrentBundle(value: unknown): Bundle {
  try {
    return parseBundle(value);
  } catch (error) {
    if (error instanceof SmallOrderKeyError) {
      throw new ProtocolError(error.message, { code: SMALL_ORDER_KEY_CODE });
    }
    throw new ProtocolError(`Invalid bundle: ${(error as Error).message}`);
  }
}

/** The access key of a new conversation: 32 bytes, not a small-order point. */
function expectAccessKey(value: unknown): string {
  const text = expectBase64Url(value, "accessKey", ACCESS_KEY_BYTES);
  try {
    assertNotSmallOrder(decodeBase64Url(text), "accessKey");
  } catch (error) {
    throw new ProtocolError((error as Error).message, { code: SMALL_ORDER_KEY_CODE });
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
    accessKey: expectAccessKey(body.accessKey),
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
      if (Object.hasOwn(value as object, "frame")) return parseCarriedSend(value, options);
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
    case "pong":
      expectObject(value, "pong frame", ["type"]);
      return { type };
    case "extend": {
      // Asks for a later end; applied once both participants asked for the same.
      const frame = expectObject(value, "extend frame", ["type", "expiresAt"]);
      return { type, expiresAt: expectTimestamp(frame.expiresAt, "expiresAt") };
    }
    default:
      throw new ProtocolError(`Unknown frame type "${type.slice(0, 32)}"`);
  }
}

/** A `send` frame carrying the `message` frame to pass on. */
function parseCarriedSend(value: unknown, options: { maxBodyLength: number }): ClientFrame {
  const frame = expectObject(value, "send frame", ["type", "to", "frame"]);
  const carried = expectObject(frame.frame, "carried frame", ["type", "id", "from", "body"]);
  if (carried.type !== "message") {
    throw new ProtocolError('Invalid carried frame: expected type "message"');
  }
  const body = expectString(carried.body, "body", options.maxBodyLength);
  return {
    type: "send",
    id: parseUlid(carried.id, "message ID"),
    to: parseUlid(frame.to, "recipient ID"),
    body: expectBase64Url(body, "body"),
    from: parseUlid(carried.from, "sender ID"),
  };
}
