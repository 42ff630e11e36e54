/**
 * The checks of a first peer, fetched only while no peer is pinned (before
 * the session, or while the creator waits): a current bundle signed with the
 * access key derived here from the invite secret, with prekeys exactly when
 * the peer is the creator, and, for the joiner, the creator's identity keys
 * that the invite link named. See `peer_check.ts`.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import { hasPrekeys, verifyBundle } from "../crypto/bundle.ts";
import { decodeBase64Url } from "../crypto/encoding.ts";
import { bundleMatchesFingerprint } from "../crypto/invite_fingerprint.ts";
import type { Participant } from "../protocol/conversation_record.ts";
import type { PeerCheck } from "./peer_check.ts";
import type { StoredConversation } from "./storage.ts";

/** Checks `participant`, neither this browser nor a pinned peer, as a first peer. */
export async function checkNewPeer(
  own: StoredConversation,
  participant: Participant,
): Promise<PeerCheck> {
  const bundle = participant.bundle;
  // The joiner's peer is the creator, whose bundle alone carries prekeys.
  if (bundle.v !== 2 || hasPrekeys(bundle) !== (own.role === "joiner")) {
    return {
      result: "refused",
      reason: t("chat.problem_downgrade"),
    };
  }
  if (!await verifyBundle(bundle, decodeBase64Url(own.accessKey))) {
    return {
      result: "refused",
      reason: t("chat.problem_not_from_invite"),
    };
  }
  if (
    own.role === "joiner" &&
    !await bundleMatchesFingerprint(bundle, decodeBase64Url(own.inviteFingerprint))
  ) {
    return {
      result: "refused",
      reason: t("chat.problem_not_invite_keys"),
    };
  }
  return { result: "new", peer: { id: participant.id, bundle } };
}
