/**
 * The steps of `secure_channel.ts` that run a handshake: the joiner's start,
 * the answer to a reset offer, and the responder's side on a session's first
 * receive. They come with the handshake code (`handshake_code.ts`), which
 * the page fetches only when a handshake runs: a session already set up, as
 * on most page loads, needs none of this, nor the invite's key derivation.
 *
 * @module
 */
import { bundlePrekeys } from "../crypto/bundle_keys.ts";
import { decodeBase64Url } from "../crypto/encoding.ts";
import { deriveSessionSalt } from "../crypto/invite.ts";
import { initiateHandshake, respondHandshake } from "../crypto/pqxdh.ts";
import { type ResetOffer, resetPsk } from "../crypto/reset_offer.ts";
import { type RatchetState } from "../crypto/ratchet.ts";
import { initRatchetInitiator, initRatchetResponder } from "../crypto/ratchet_init.ts";
import { sealState } from "../crypto/sealed_state.ts";
import { NO_FLIGHT } from "./in_flight.ts";
import { ChannelError, type Peer } from "./channel_state.ts";
import type { StoredConversation } from "./storage.ts";

/** `startInitiator` of `secure_channel.ts`. */
export async function startInitiator(
  conversation: StoredConversation,
  peer: Peer,
): Promise<StoredConversation> {
  const { sharedKey, handshake } = await initiateHandshake({
    conversationId: conversation.id,
    initiatorId: conversation.participantId,
    responderId: peer.id,
    psk: await sessionPsk(conversation),
    initiatorDhPrivate: conversation.dh.privateKey,
    responderBundle: peer.bundle,
    kemBackend: conversation.kemBackend,
  });
  const state = await initRatchetInitiator(sharedKey, bundlePrekeys(peer.bundle).spkPublic);
  sharedKey.fill(0);
  return { ...conversation, handshake, ratchet: await seal(conversation, state) };
}

/** `acceptReset` of `secure_channel.ts`. */
export async function acceptReset(
  conversation: StoredConversation,
  offer: ResetOffer,
): Promise<StoredConversation> {
  const peer = conversation.peer;
  if (peer === null) throw new ChannelError("Cannot reset the session: no peer is pinned");
  const { sharedKey, handshake } = await initiateHandshake({
    conversationId: conversation.id,
    initiatorId: conversation.participantId,
    responderId: peer.id,
    psk: await resetPsk(offer.generation),
    initiatorDhPrivate: conversation.dh.privateKey,
    responderBundle: {
      dhPublic: decodeBase64Url(peer.bundle.dh),
      spkPublic: offer.spk,
      pqspkPublic: offer.pqspk,
    },
    kemBackend: conversation.kemBackend,
  });
  const state = await initRatchetInitiator(sharedKey, offer.spk);
  sharedKey.fill(0);
  return {
    ...conversation,
    handshake,
    ratchet: await seal(conversation, state),
    generation: offer.generation,
    reset: null,
    prekeys: null,
    flight: NO_FLIGHT,
  };
}

/**
 * The responder's side of the handshake a first message carries: the ratchet
 * state that opens it, from a reset offer's prekeys or the creator's.
 * Throws `ChannelError` when this side has no prekeys to answer with.
 */
export async function respond(
  conversation: StoredConversation,
  peer: Peer,
  handshake: { ek: Uint8Array; ct: Uint8Array } | null,
): Promise<RatchetState> {
  const keys = await responderKeys(conversation);
  if (keys === null || handshake === null) {
    throw new ChannelError("A message arrived before the secure session was set up", {
      problem: "chat.problem_before_session",
    });
  }
  const sharedKey = await respondHandshake({
    conversationId: conversation.id,
    initiatorId: peer.id,
    responderId: conversation.participantId,
    psk: keys.psk,
    responderDhPrivate: conversation.dh.privateKey,
    spkPrivate: keys.spk.privateKey,
    pq: keys.pq,
    initiatorDhPublic: decodeBase64Url(peer.bundle.dh),
    handshake,
  });
  const state = initRatchetResponder(sharedKey, keys.spk);
  sharedKey.fill(0);
  return state;
}

/** The prekeys and psk this side answers a handshake with: a reset offer's, or the creator's. */
async function responderKeys(conversation: StoredConversation) {
  const reset = conversation.reset ?? null;
  if (reset !== null) {
    return { spk: reset.spk, pq: reset.pq, psk: await resetPsk(reset.generation) };
  }
  const prekeys = conversation.prekeys;
  if (conversation.role !== "creator" || prekeys === null) return null;
  return {
    spk: {
      publicKey: bundlePrekeys(conversation.bundle).spkPublic,
      privateKey: prekeys.spkPrivate,
    },
    pq: prekeys.pq,
    psk: await sessionPsk(conversation),
  };
}

/** The handshake's pre-shared key, from the invite secret while it is kept. */
function sessionPsk(conversation: StoredConversation): Promise<Uint8Array> {
  if (conversation.secret === null) {
    throw new ChannelError("Cannot start the secure session: the invite secret is gone");
  }
  return deriveSessionSalt(decodeBase64Url(conversation.secret));
}

function seal(conversation: StoredConversation, state: RatchetState): Promise<Uint8Array> {
  return sealState(conversation.wrappingKey, state, conversation.id);
}
