/**
 * Telling a message that came again from another under its ID. A resend
 * after a lost receipt carries the very same body; after a session reset
 * the same message comes sealed again, a new body around the same payload.
 * So incoming messages keep a hash of both, and a known ID under a new body
 * is kept only if its payload is the one received before.
 *
 * @module
 */
import { encodeBase64Url } from "../crypto/encoding.ts";
import { encodePayload, type Payload } from "../crypto/payload.ts";
import type { StoredConversation, StoredMessage } from "./storage.ts";

/** A message received before: stored, or disappeared (its hashes only). */
export type Known = StoredMessage | NonNullable<StoredConversation["gone"]>[number];

/** The base64url SHA-256 of a frame body, to tell a resend from a substitute. */
export function hashBody(body: string): Promise<string> {
  return sha256(new TextEncoder().encode(body));
}

/** The base64url SHA-256 of a payload's canonical encoding. */
export function hashPayload(payload: Payload): Promise<string> {
  return sha256(encodePayload(payload));
}

/**
 * Whether `payload` is the one `known` was received as: by hash, or for a
 * message stored before payload hashes were kept, by what it shows.
 */
export function samePayload(known: Known, payload: Payload, payloadHash: string): boolean {
  if (known.payloadHash !== undefined) return known.payloadHash === payloadHash;
  if (!("direction" in known) || known.kind !== payload.type) return false;
  if (known.sentAt !== payload.sentAt) return false;
  switch (payload.type) {
    case "text":
      return known.text === payload.text;
    case "timer":
      return known.timer === payload.seconds;
    case "file":
      return known.file?.sha256 === payload.sha256 && known.file.size === payload.size &&
        known.file.name === payload.name;
    default:
      return payload.type === "hello";
  }
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return encodeBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}
