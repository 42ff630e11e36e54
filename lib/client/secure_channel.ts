/**
 * The session of one conversation, as pure steps over a
 * {@linkcode StoredConversation}: start the handshake (joiner), seal a
 * payload, open a body. Each step returns the conversation to store; a step
 * that throws has changed nothing, so a message that fails its checks never
 * touches the ratchet.
 *
 * Order of saving, which is what makes the ratchet crash-safe: the state
 * from {@linkcode sealPayload} is saved before the body leaves the browser
 * (so a crash does not make a message key serve twice), and the state from
 * {@linkcode openBody} is committed only after the message is stored. If an
 * older state comes back all the same (a restored backup, a lost write), a
 * message key is used again, but each message's random salt still gives it
 * its own AES key and nonce.
 *
 * A session reset replaces the session with a fresh handshake between the
 * same identities: the side that answers a verified reset offer starts it
 * ({@linkcode acceptReset}), as the joiner does, and the side that made the
 * offer responds on its first receive, as the creator does. Until then
 * ({@linkcode isResetting}) a body that opens under neither is one sealed
 * under the old session.
 *
 * @module
 */
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import { encodeEnvelope, messageAd, parseEnvelope } from "../crypto/envelope.ts";
import { openMessage, sealMessage } from "../crypto/message.ts";
import { checkPayload, encodePayload, type Payload, readPayload } from "../crypto/payload.ts";
import { isCallPayload } from "../crypto/payload_call.ts";
import { loadCallChecks, namesCallType } from "../crypto/payload_call_loader.ts";
import type { ResetOffer } from "../crypto/reset_offer.ts";
import type { RatchetState } from "../crypto/ratchet.ts";
import { openState, sealState } from "../crypto/sealed_state.ts";
import { canSeal, ChannelError, type Peer } from "./channel_state.ts";
import { sha256 } from "./resent.ts";
import type { StoredConversation } from "./storage.ts";

/**
 * The handshake code (PQXDH with ML-KEM, a reset's psk), fetched when a
 * handshake runs: a session already set up, as on most page loads, needs
 * none of it.
 */
const handshakes = () => import("./handshake_code.ts");

/**
 * Joiner: runs the PQXDH handshake against the creator's verified bundle and
 * starts the ratchet. The handshake then rides on every message until the
 * creator answers.
 */
export async function startInitiator(
  conversation: StoredConversation,
  peer: Peer,
): Promise<StoredConversation> {
  return await (await handshakes()).startInitiator(conversation, peer);
}

/**
 * Answers a peer's reset offer, already verified against its pinned
 * identity key: runs the PQXDH initiator's side against the offer's
 * prekeys with the reset's psk and starts a new ratchet. The handshake then
 * rides on every message until the peer answers; this side's own pending
 * offer, if any, is dropped with its private halves.
 */
export async function acceptReset(
  conversation: StoredConversation,
  offer: ResetOffer,
): Promise<StoredConversation> {
  return await (await handshakes()).acceptReset(conversation, offer);
}

/**
 * Encrypts one payload for the peer; save the returned conversation before
 * sending. The first call payload fetches the call checks.
 */
export async function sealPayload(
  conversation: StoredConversation,
  payload: Payload,
): Promise<{ conversation: StoredConversation; body: string }> {
  const peer = conversation.peer;
  if (peer === null || !canSeal(conversation)) {
    throw new ChannelError("Cannot encrypt yet: the secure session is not set up");
  }
  if (isCallPayload(payload)) await loadCallChecks();
  const state = await openState(conversation.wrappingKey, conversation.ratchet!, conversation.id);
  const ad = messageAd({
    conversationId: conversation.id,
    from: conversation.participantId,
    to: peer.id,
    fromSign: decodeBase64Url(conversation.bundle.sign),
    toSign: decodeBase64Url(peer.bundle.sign),
    handshake: conversation.handshake,
  });
  const sealed = await sealMessage(state, encodePayload(payload), ad);
  const body = encodeBase64Url(encodeEnvelope({
    header: sealed.header,
    handshake: conversation.handshake,
    ciphertext: sealed.ciphertext,
  }));
  return {
    conversation: { ...conversation, ratchet: await seal(conversation, sealed.state) },
    body,
  };
}

/**
 * Decrypts a body from the peer. The creator's first receive (or, after a
 * reset offer, the offering side's) completes the handshake and deletes the
 * prekeys' private halves; the initiator's first receive ends the handshake
 * it was sending. The first call payload fetches the call checks before it
 * is checked. Throws `ChannelError`, or the error of a failed fetch (see
 * `loadCallChecks`); either way nothing is accepted.
 */
export async function openBody(
  conversation: StoredConversation,
  body: string,
): Promise<{ conversation: StoredConversation; payload: Payload }> {
  const peer = conversation.peer;
  if (peer === null) {
    throw new ChannelError("A message came before the other person's keys", {
      problem: "chat.problem_before_keys",
    });
  }
  // Fetched before the checks, so a failed fetch is never taken for a forged message.
  const code = conversation.ratchet === null ? await handshakes() : null;
  const opened = await verified(async () => {
    const envelope = parseEnvelope(decodeBase64Url(body));
    const state = conversation.ratchet === null
      ? await code!.respond(conversation, peer, envelope.handshake)
      : await openState(conversation.wrappingKey, conversation.ratchet, conversation.id);
    const ad = messageAd({
      conversationId: conversation.id,
      from: peer.id,
      to: conversation.participantId,
      fromSign: decodeBase64Url(peer.bundle.sign),
      toSign: decodeBase64Url(conversation.bundle.sign),
      handshake: envelope.handshake,
    });
    const opened = await openMessage(state, envelope.header, envelope.ciphertext, ad);
    return { value: readPayload(opened.plaintext), state: opened.state };
  });
  // A call payload's checks, fetched like the handshake code outside the checks.
  if (namesCallType(opened.value)) await loadCallChecks();
  return await verified(async () => {
    const payload = checkPayload(opened.value);
    const reset = conversation.ratchet === null ? conversation.reset ?? null : null;
    return {
      conversation: {
        ...conversation,
        ratchet: await seal(conversation, opened.state),
        // Only an authentic message from the peer ends the handshake; then
        // the secret and the prekeys' private halves are needed no more.
        prekeys: null,
        handshake: null,
        secret: null,
        ...(reset === null ? {} : { reset: null, generation: reset.generation }),
      },
      payload,
    };
  });
}

/** The base64url SHA-256 of a payload's canonical encoding, to tell a message sealed again (`resent.ts`). */
export function hashPayload(payload: Payload): Promise<string> {
  return sha256(encodePayload(payload));
}

/** Runs a step of opening a body; any error but a `ChannelError` becomes one: the body is refused. */
async function verified<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof ChannelError) throw error;
    throw new ChannelError("A message failed verification and was discarded", { cause: error });
  }
}

function seal(conversation: StoredConversation, state: RatchetState): Promise<Uint8Array> {
  return sealState(conversation.wrappingKey, state, conversation.id);
}
