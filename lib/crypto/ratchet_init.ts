/**
 * The first Double Ratchet state of each side of a session, from the shared
 * key of a handshake (see `ratchet.ts`). Run only by a handshake, so a page
 * whose session is set up never loads it.
 *
 * @module
 */
import { agree, type RatchetState } from "./ratchet.ts";
import { kdfRootKey } from "./ratchet_kdf.ts";
import { generateX25519KeyPair, type X25519KeyPair } from "./x25519.ts";
import type { RatchetOptions } from "./ratchet.ts";

/**
 * The initiator's state: a fresh ratchet key, and a sending chain from its
 * agreement with the responder's signed prekey.
 */
export async function initRatchetInitiator(
  sk: Uint8Array,
  responderSpkPublic: Uint8Array,
  options: RatchetOptions = {},
): Promise<RatchetState> {
  checkSecret(sk, "shared key");
  const dhs = await generateX25519KeyPair(options.random);
  const { rk, ck } = await kdfRootKey(sk, await agree(dhs.privateKey, responderSpkPublic));
  return {
    dhs,
    dhr: responderSpkPublic.slice(),
    rk,
    cks: ck,
    ckr: null,
    ns: 0,
    nr: 0,
    pn: 0,
    skipped: [],
  };
}

/**
 * The responder's state: its signed prekey becomes its first ratchet key.
 * It cannot send until the initiator's first message has arrived.
 */
export function initRatchetResponder(
  sk: Uint8Array,
  spk: X25519KeyPair,
): RatchetState {
  checkSecret(sk, "shared key");
  checkSecret(spk.publicKey, "signed prekey");
  checkSecret(spk.privateKey, "signed prekey private key");
  return {
    dhs: { publicKey: spk.publicKey.slice(), privateKey: spk.privateKey.slice() },
    dhr: null,
    rk: sk.slice(),
    cks: null,
    ckr: null,
    ns: 0,
    nr: 0,
    pn: 0,
    skipped: [],
  };
}

function checkSecret(bytes: Uint8Array, name: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) {
    throw new TypeError(`Invalid ${name}: expected 32 bytes`);
  }
}
