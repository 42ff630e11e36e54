/**
 * Timings of the cryptography in whatever runtime loads this module (Deno,
 * or Chromium through `bench/crypto.ts`): the PQXDH handshake (initiate plus
 * respond) and one message encrypted and decrypted through the Double
 * Ratchet, for one ML-KEM backend; and a real relay body. No Deno API here.
 *
 * @module
 */

import { createBundle } from "../lib/crypto/bundle.ts";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { encodeEnvelope } from "../lib/crypto/envelope.ts";
import { encodePayload } from "../lib/crypto/payload.ts";
import { generateIdentity } from "../lib/crypto/identity.ts";
import { deriveAccessKey, deriveSessionSalt, generateInviteSecret } from "../lib/crypto/invite.ts";
import type { KemBackend } from "../lib/crypto/kem.ts";
import { openMessage, sealMessage } from "../lib/crypto/message.ts";
import { initiateHandshake, respondHandshake } from "../lib/crypto/pqxdh.ts";
import { generatePrekeys } from "../lib/crypto/prekeys.ts";
import { MAX_SKIP, type RatchetState } from "../lib/crypto/ratchet.ts";
import { initRatchetInitiator, initRatchetResponder } from "../lib/crypto/ratchet_init.ts";

const CONVERSATION_ID = "01JGZ0000000000000000000C0";
const INITIATOR_ID = "01JGZ0000000000000000000A0";
const RESPONDER_ID = "01JGZ0000000000000000000B0";

/** Median times of one backend, in milliseconds. */
export interface CryptoFigures {
  /** One PQXDH handshake, initiate plus respond. */
  handshakeMs: number;
  /** One message encrypted and decrypted, DH ratchet steps included. */
  messageMs: number;
  /**
   * A forged message whose header asks for `MAX_SKIP` keys ahead in the
   * current chain: the time until it is refused, every key derived.
   */
  forgedSkipMs: number;
}

/**
 * Measures `handshakes` handshakes and `messages` messages with the given
 * ML-KEM backend and returns the medians.
 */
export async function measureCrypto(
  backend: KemBackend,
  handshakes = 50,
  messages = 300,
): Promise<CryptoFigures> {
  const { handshake, message, forgedSkip } = await measure(backend, handshakes, messages);
  return { handshakeMs: handshake, messageMs: message, forgedSkipMs: forgedSkip };
}

/**
 * A real relay body: a short text message, padded and encrypted through the
 * ratchet and encoded as the envelope the client sends, in base64url.
 */
export async function realMessageBody(): Promise<string> {
  const { alice } = await session("webcrypto", 1);
  const payload = encodePayload({
    v: 2,
    type: "text",
    id: INITIATOR_ID,
    text: "A short chat message of ordinary length.",
    sentAt: Date.now(),
    expiresIn: 0,
  });
  const sealed = await sealMessage(alice, payload, new Uint8Array(64));
  return encodeBase64Url(encodeEnvelope({ header: sealed.header, ciphertext: sealed.ciphertext }));
}

async function measure(
  backend: KemBackend,
  handshakes: number,
  messages: number,
): Promise<{ handshake: number; message: number; forgedSkip: number }> {
  const handshakeTimes: number[] = [];
  let { alice, bob } = await session(backend, handshakes, handshakeTimes);
  const payload = new TextEncoder().encode("A short chat message of ordinary length.");
  const ad = new Uint8Array(64);
  const messageTimes: number[] = [];
  for (let i = 0; i < messages; i++) {
    const start = performance.now();
    // Alternate directions every few messages so DH ratchet steps are included.
    const sending = Math.floor(i / 3) % 2 === 0;
    if (sending) {
      const sealed = await sealMessage(alice, payload, ad);
      alice = sealed.state;
      bob = (await openMessage(bob, sealed.header, sealed.ciphertext, ad)).state;
    } else {
      const sealed = await sealMessage(bob, payload, ad);
      bob = sealed.state;
      alice = (await openMessage(alice, sealed.header, sealed.ciphertext, ad)).state;
    }
    messageTimes.push(performance.now() - start);
  }
  // Bob reads one of Alice's messages, so the next is in the chain he is on;
  // the relay then moves its number MAX_SKIP past what Bob expects.
  const first = await sealMessage(alice, payload, ad);
  bob = (await openMessage(bob, first.header, first.ciphertext, ad)).state;
  const next = await sealMessage(first.state, payload, ad);
  const forged = { ...next.header, n: bob.nr + MAX_SKIP };
  const forgedTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const refused = await openMessage(bob, forged, next.ciphertext, ad).then(
      () => false,
      () => true,
    );
    forgedTimes.push(performance.now() - start);
    if (!refused) throw new Error("A forged header was accepted");
  }
  return {
    handshake: median(handshakeTimes),
    message: median(messageTimes),
    forgedSkip: median(forgedTimes),
  };
}

/** Runs `handshakes` handshakes (timing each into `times`) and starts a ratchet session. */
async function session(
  backend: KemBackend,
  handshakes: number,
  times: number[] = [],
): Promise<{ alice: RatchetState; bob: RatchetState }> {
  const secret = generateInviteSecret();
  const access = await deriveAccessKey(secret);
  const psk = await deriveSessionSalt(secret);
  const [creator, joiner, prekeys] = await Promise.all([
    generateIdentity(),
    generateIdentity(),
    generatePrekeys(backend),
  ]);
  const bundle = await createBundle(creator, access.privateKey, {
    spkPublic: prekeys.spk.publicKey,
    pqspkPublic: prekeys.pq.publicKey,
  });
  const parties = {
    conversationId: CONVERSATION_ID,
    initiatorId: INITIATOR_ID,
    responderId: RESPONDER_ID,
    psk,
  };
  let sharedKey = new Uint8Array();
  for (let i = 0; i < handshakes; i++) {
    const start = performance.now();
    const initiated = await initiateHandshake({
      ...parties,
      initiatorDhPrivate: joiner.dh.privateKey,
      responderBundle: bundle,
      kemBackend: backend,
    });
    sharedKey = await respondHandshake({
      ...parties,
      responderDhPrivate: creator.dh.privateKey,
      spkPrivate: prekeys.spk.privateKey,
      pq: prekeys.pq,
      initiatorDhPublic: joiner.dhPublic,
      handshake: initiated.handshake,
    });
    times.push(performance.now() - start);
  }
  return {
    alice: await initRatchetInitiator(sharedKey, prekeys.spk.publicKey),
    bob: initRatchetResponder(sharedKey, prekeys.spk),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
