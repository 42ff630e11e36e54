/**
 * The checks a browser runs on every participant the server presents: its
 * own entry must be exactly its own keys; the peer must bring a current
 * bundle signed with the access key derived here from the invite secret, with
 * prekeys exactly when the peer is the creator; the creator's identity keys
 * must match the fingerprint the joiner's invite link named; and a pinned
 * peer never changes. The checks of a first peer (signatures, fingerprint)
 * are in `peer_check_new.ts`, fetched only while no peer is pinned.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import { type Bundle, bundlesEqual } from "../crypto/bundle_format.ts";
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
  // A first peer: its signatures are checked by code fetched only now.
  const { checkNewPeer } = await import("./peer_check_new.ts");
  return await checkNewPeer(own, participant);
}
