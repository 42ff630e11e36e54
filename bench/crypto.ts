/**
 * Timings of the cryptography in this runtime: the PQXDH handshake
 * (initiate plus respond) and one message encrypted and decrypted through the
 * Double Ratchet, for each ML-KEM backend. Medians over several runs.
 *
 * @module
 */

import { createBundle } from "../lib/crypto/bundle.ts";
import { generateIdentity } from "../lib/crypto/identity.ts";
import { deriveAccessKey, deriveSessionSalt, generateInviteSecret } from "../lib/crypto/invite.ts";
import type { KemBackend } from "../lib/crypto/kem.ts";
import { openMessage, sealMessage } from "../lib/crypto/message.ts";
import { initiateHandshake, respondHandshake } from "../lib/crypto/pqxdh.ts";
import { generatePrekeys } from "../lib/crypto/prekeys.ts";
import {
  initRatchetInitiator,
  initRatchetResponder,
  type RatchetState,
} from "../lib/crypto/ratchet.ts";

const CONVERSATION_ID = "01JGZ0000000000000000000C0";
const INITIATOR_ID = "01JGZ0000000000000000000A0";
const RESPONDER_ID = "01JGZ0000000000000000000B0";
const HANDSHAKES = 50;
const MESSAGES = 300;

/** Prints the median handshake and per-message times for both KEM backends. */
export async function benchCrypto(): Promise<void> {
  for (const backend of ["webcrypto", "noble"] as KemBackend[]) {
    const { handshake, message } = await measure(backend);
    console.log(
      `crypto (${backend} ML-KEM): handshake ${handshake.toFixed(2)} ms, ` +
        `message encrypt+decrypt ${
          message.toFixed(3)
        } ms (medians of ${HANDSHAKES} and ${MESSAGES})`,
    );
  }
}

async function measure(backend: KemBackend): Promise<{ handshake: number; message: number }> {
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
  const handshakeTimes: number[] = [];
  let sharedKey = new Uint8Array();
  for (let i = 0; i < HANDSHAKES; i++) {
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
    handshakeTimes.push(performance.now() - start);
  }
  let alice: RatchetState = await initRatchetInitiator(sharedKey, prekeys.spk.publicKey);
  let bob: RatchetState = initRatchetResponder(sharedKey, prekeys.spk);
  const payload = new TextEncoder().encode("A short chat message of ordinary length.");
  const ad = new Uint8Array(64);
  const messageTimes: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
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
  return { handshake: median(handshakeTimes), message: median(messageTimes) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

if (import.meta.main) await benchCrypto();
