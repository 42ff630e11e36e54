/**
 * Telling a message that came again from another under its ID. A resend
 * after a lost receipt carries the very same body; after a session reset
 * the same message comes sealed again, a new body around the same payload.
 * So incoming messages keep a hash of both, and a known ID under a new body
 * is kept only if its payload is the one received before (compared in
 * `seen_message.ts`, which the inbox fetches when a known ID comes again).
 *
 * @module
 */
import { encodeBase64Url } from "../crypto/encoding.ts";
import type { StoredConversation, StoredMessage } from "./storage.ts";

/** A message received before: stored, or disappeared (its hashes only). */
export type Known = StoredMessage | NonNullable<StoredConversation["gone"]>[number];

/** The base64url SHA-256 of a frame body, to tell a resend from a substitute. */
export function hashBody(body: string): Promise<string> {
  return sha256(new TextEncoder().encode(body));
}

/**
 * The base64url SHA-256 of `bytes`; a payload's hash is that of its
 * canonical encoding (`hashPayload` of `secure_channel.ts`, which comes with
 * the code that opens it).
 */
export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return encodeBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}
