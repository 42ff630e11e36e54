/**
 * The Double Ratchet (Signal specification, revision 1) as pure functions
 * over plain, structured-clonable state.
 *
 * Every function takes a state and returns a new one; the input is never
 * changed. A caller therefore commits the returned state only after it has
 * used the result (saved before sending, or after a message authenticated),
 * and a failed decryption leaves its state exactly as it was.
 *
 * The steps live beside it: the first state of each side in `ratchet_init.ts`
 * (run only by a handshake), key derivations in `ratchet_kdf.ts`, the AEAD in
 * `ratchet_aead.ts`, the header in `ratchet_header.ts` and the keys of
 * skipped messages in `ratchet_skipped_keys.ts`.
 *
 * @module
 */

import { concatBytes } from "./encoding.ts";
import { RatchetError } from "./ratchet_error.ts";
import {
  checkHeader,
  encodeHeader,
  MAX_MESSAGE_NUMBER,
  type RatchetHeader,
  SALT_BYTES,
} from "./ratchet_header.ts";
import { openWithMessageKey, sealWithMessageKey } from "./ratchet_aead.ts";
import { kdfChainKey, kdfRootKey } from "./ratchet_kdf.ts";
import {
  checkSkipLimit,
  isNewChain,
  skipMessageKeys,
  type SkippedKey,
  takeSkippedKey,
} from "./ratchet_skipped_keys.ts";
import {
  generateX25519KeyPair,
  type RandomSource,
  systemRandom,
  x25519,
  type X25519KeyPair,
} from "./x25519.ts";

export type { RatchetHeader } from "./ratchet_header.ts";
export { RatchetError } from "./ratchet_error.ts";
export { MAX_SKIP, MAX_SKIPPED_KEYS, type SkippedKey } from "./ratchet_skipped_keys.ts";
export {
  expandMessageKey,
  kdfChainKey,
  kdfRootKey,
  MESSAGE_KEY_INFO,
  messageCipherKey,
} from "./ratchet_kdf.ts";

/**
 * The state of one side of a Double Ratchet session. Plain data only (no
 * `CryptoKey`), so it can be serialized, encrypted and stored; see
 * `sealState()` in sealed_state.ts.
 */
export interface RatchetState {
  /** Our current ratchet key pair; the private half is 32 raw bytes. */
  dhs: X25519KeyPair;
  /** The peer's current ratchet public key, null before the first message. */
  dhr: Uint8Array | null;
  /** The 32-byte root key. */
  rk: Uint8Array;
  /** The sending chain key, null until this side may send. */
  cks: Uint8Array | null;
  /** The receiving chain key, null until the first message arrives. */
  ckr: Uint8Array | null;
  /** The next message number to send. */
  ns: number;
  /** The next message number expected in the receiving chain. */
  nr: number;
  /** How many messages the previous sending chain had. */
  pn: number;
  /** Keys of skipped messages, oldest first. */
  skipped: SkippedKey[];
}

/** Options for the functions that use randomness. */
export interface RatchetOptions {
  /**
   * Supplies new ratchet private keys and message salts; defaults to
   * `crypto.getRandomValues`. Replaced only for reproducible tests.
   */
  random?: RandomSource;
}

/**
 * Encrypts one message with AES-256-GCM under a key and nonce derived from
 * the next message key and a fresh random salt that the header carries; the
 * AEAD's associated data is `ad ‖ header`.
 *
 * Save the returned state before sending, so that normally no message key
 * is used twice. If an older state comes back all the same (a restored
 * backup, a lost write), the message key repeats but the salt does not, so
 * the AES key and nonce still never repeat.
 */
export async function ratchetEncrypt(
  state: RatchetState,
  plaintext: Uint8Array,
  ad: Uint8Array,
  options: RatchetOptions = {},
): Promise<{ state: RatchetState; header: RatchetHeader; ciphertext: Uint8Array<ArrayBuffer> }> {
  if (state.cks === null) {
    throw new RatchetError(
      "Cannot encrypt yet: the peer's first message has not arrived",
    );
  }
  if (state.ns > MAX_MESSAGE_NUMBER) {
    throw new RatchetError("Cannot encrypt: this sending chain is exhausted");
  }
  const salt = (options.random ?? systemRandom)(SALT_BYTES);
  if (!(salt instanceof Uint8Array) || salt.length !== SALT_BYTES) {
    throw new TypeError(`Invalid random source: expected ${SALT_BYTES} bytes for a message salt`);
  }
  const next = cloneState(state);
  const { ck, mk } = kdfChainKey(state.cks);
  const header: RatchetHeader = {
    dh: state.dhs.publicKey.slice(),
    pn: state.pn,
    n: state.ns,
    salt: salt.slice(),
  };
  next.cks = ck;
  next.ns += 1;
  const ciphertext = await sealWithMessageKey(
    mk,
    header.salt,
    plaintext,
    concatBytes(ad, encodeHeader(header)),
  );
  return { state: next, header, ciphertext };
}

/**
 * Decrypts one message, out of order if need be. Throws `RatchetError`, with
 * the input state untouched, if the message does not authenticate, was
 * already decrypted, or would skip more than {@linkcode MAX_SKIP} keys.
 */
export async function ratchetDecrypt(
  state: RatchetState,
  header: RatchetHeader,
  ciphertext: Uint8Array,
  ad: Uint8Array,
  options: RatchetOptions = {},
): Promise<{ state: RatchetState; plaintext: Uint8Array<ArrayBuffer> }> {
  checkHeader(header);
  const aad = concatBytes(ad, encodeHeader(header));
  const next = cloneState(state);
  const skippedKey = takeSkippedKey(next, header);
  if (skippedKey !== undefined) {
    const plaintext = await open(skippedKey, header.salt, ciphertext, aad);
    return { state: next, plaintext };
  }
  const newChain = isNewChain(next, header.dh);
  checkSkipLimit(next, header);
  if (newChain) {
    skipMessageKeys(next, header.pn);
    await dhRatchet(next, header, options.random);
  } else if (header.n < next.nr) {
    throw new RatchetError(
      `Cannot decrypt message ${header.n}: it was already decrypted or its key expired`,
    );
  }
  skipMessageKeys(next, header.n);
  if (next.ckr === null) {
    // Only a forged header can name our initial key as the peer's.
    throw new RatchetError("Cannot decrypt message: no receiving chain for its ratchet key");
  }
  const { ck, mk } = kdfChainKey(next.ckr);
  next.ckr = ck;
  next.nr += 1;
  const plaintext = await open(mk, header.salt, ciphertext, aad);
  return { state: next, plaintext };
}

/** Deep-copies a state, so later changes to either never reach the other. */
export function cloneState(state: RatchetState): RatchetState {
  return {
    dhs: { publicKey: state.dhs.publicKey.slice(), privateKey: state.dhs.privateKey.slice() },
    dhr: state.dhr?.slice() ?? null,
    rk: state.rk.slice(),
    cks: state.cks?.slice() ?? null,
    ckr: state.ckr?.slice() ?? null,
    ns: state.ns,
    nr: state.nr,
    pn: state.pn,
    skipped: state.skipped.map((key) => ({ dh: key.dh, n: key.n, mk: key.mk.slice() })),
  };
}

async function dhRatchet(
  state: RatchetState,
  header: RatchetHeader,
  random: RandomSource | undefined,
): Promise<void> {
  state.pn = state.ns;
  state.ns = 0;
  state.nr = 0;
  state.dhr = header.dh.slice();
  const receiving = await kdfRootKey(state.rk, await agree(state.dhs.privateKey, state.dhr));
  state.ckr = receiving.ck;
  state.dhs = await generateX25519KeyPair(random);
  const sending = await kdfRootKey(receiving.rk, await agree(state.dhs.privateKey, state.dhr));
  state.rk = sending.rk;
  state.cks = sending.ck;
}

/** X25519 agreement; a failure is a `RatchetError`. */
export async function agree(
  privateKey: Uint8Array,
  publicKey: Uint8Array,
): Promise<Uint8Array> {
  try {
    return await x25519(privateKey, publicKey);
  } catch (error) {
    throw new RatchetError("Invalid ratchet key: key agreement failed", { cause: error });
  }
}

async function open(
  mk: Uint8Array,
  salt: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return await openWithMessageKey(mk, salt, ciphertext, aad);
  } catch (error) {
    throw new RatchetError("Cannot decrypt message: it failed to authenticate", {
      cause: error,
    });
  }
}
