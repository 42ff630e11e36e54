/**
 * The checks a browser runs on every participant the server presents: its
 * own entry must be exactly its own keys; the peer must bring a current
 * bundle signed with the access key derived here from the invite secret, with
 * prekeys exactly when the peer is the creator; the creator's identity keys
 * must match the fingerprint the joiner's invite link named; and a pinned
 * peer never changes.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import { type Bundle, bundlesEqual, hasPrekeys, verifyBundle } from "../crypto/bundle.ts";
import { decodeBase64Url } from "../crypto/encoding.ts";
import { bundleMatchesFingerprint } from "../crypto/invite_fingerprint.ts";
import type { Participant } from "../protocol/conversation_record.ts";
import type { StoredConversation } from "./storage.ts";

/** What to do with a presented participant. */
export type PeerCheck =
  | { result: "known" }
  | { result: "new"; peer: { id: string; bundle: Bundle } }
  | { result: "refused"; reason: string };

/** Checks `participant` against what this browser holds. */
export async function checkParticipant(
  own: StoredConversation,
  participant: Participant,
): Promise<PeerCheck> {
  if (participant.id === own.participantId) {
    return bundlesEqual(participant.bundle, own.bundle)
      ? { result: "known" }
      : { result: "refused", reason: t("chat.problem_own_keys_replaced") };
  }
  if (own.peer !== null) {
    if (own.peer.id !== participant.id) {
      return { result: "refused", reason: t("chat.problem_third_participant") };
    }
    return bundlesEqual(own.peer.bundle, participant.bundle)
      ? { result: "known" }
      : { result: "refused", reason: t("chat.problem_peer_keys_changed") };
  }
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
