/**
 * The invite link a creator shows while nobody has joined: apart from
 * `admission.ts`, so the chat page can show it without loading the code that
 * creates and joins conversations.
 *
 * @module
 */
import { decodeBase64Url } from "../crypto/encoding.ts";
import { formatInviteLink } from "../crypto/invite.ts";
import type { StoredConversation } from "./storage.ts";

/**
 * The invite link of a conversation this browser created, or null once the
 * secret is deleted (the handshake is complete).
 */
export function creatorInviteLink(
  origin: string,
  conversation: StoredConversation,
): string | null {
  if (conversation.secret === null) return null;
  return formatInviteLink(origin, conversation.id, {
    secret: decodeBase64Url(conversation.secret),
    fingerprint: decodeBase64Url(conversation.inviteFingerprint),
  });
}
