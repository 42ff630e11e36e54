/**
 * The steps of a page load that opened an invite link (a fragment in the
 * address): reading the link, checking it against the server's record or
 * against the conversation kept here, and joining. Fetched only when there
 * is a fragment or someone joins, with the code that makes keys for a join,
 * so opening a conversation kept here loads none of it.
 *
 * @module
 */
import { checkInvite, joinConversation } from "../../lib/client/admission.ts";
import type { ClientStorage } from "../../lib/client/storage.ts";
import { type Invite, OutdatedInviteError, parseInviteFragment } from "../../lib/crypto/invite.ts";
import { formatFingerprint } from "../../lib/crypto/invite_fingerprint.ts";
import type { BootStep } from "./chat_phase.ts";
import { JoinInvite } from "./lazy_parts.ts";

export { joinConversation };

/** What follows from `fragment`, given whether the conversation is `kept` here. */
export async function inviteStep(
  conversationId: string,
  fragment: string,
  storage: ClientStorage,
  kept: boolean,
  reloaded: boolean,
): Promise<BootStep> {
  let invite: Invite | null = null;
  try {
    invite = parseInviteFragment(fragment);
  } catch (error) {
    const old = error instanceof OutdatedInviteError;
    // An older link to a conversation kept here still opens it: the link adds nothing.
    if (!(old && kept)) {
      return { next: "show", phase: { name: old ? "old_link" : "damaged" } };
    }
  }
  if (kept) {
    // Already here: only checks that the link fits what is kept; sends nothing.
    if (invite !== null) {
      await joinConversation({ baseUrl: location.origin, storage, conversationId, invite });
    }
    return { next: "open" };
  }
  if (invite === null) {
    return { next: "show", phase: { name: reloaded ? "invite_lost" : "not_here" } };
  }
  // A GET only: a scanner or preview that loads the link takes no seat.
  const [record] = await Promise.all([
    checkInvite({ baseUrl: location.origin, conversationId, invite }),
    // The offer shows at once, without a blank moment while its code arrives.
    JoinInvite.preload(),
  ]);
  return {
    next: "offer",
    invite,
    phase: {
      name: "invite",
      expiresAt: record.expiresAt,
      fingerprint: formatFingerprint(invite.fingerprint),
      joining: false,
      error: null,
    },
  };
}
