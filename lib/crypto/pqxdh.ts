/**
 * The handshake, PQXDH-style. The joiner (initiator) combines three
 * X25519 agreements with an ML-KEM-768 encapsulation to the creator's
 * (responder's) signed prekeys and the invite-secret-derived `psk`:
 *
 * ```
 * DH1 = DH(IK_J, SPK_C)   DH2 = DH(EK_J, IK_C)   DH3 = DH(EK_J, SPK_C)
 * (CT, SS) = Encaps(PQSPK_C)
 * SK = HKDF-SHA-256(salt = 0×32, ikm = 0xFF×32 ‖ DH1 ‖ DH2 ‖ DH3 ‖ SS ‖ psk,
 *                   info = "anon/v2/pqxdh" ‖ conversationId ‖ initiatorId ‖ responderId)
 * ```
 *
 * An attacker must break X25519 and ML-KEM and know the invite secret.
 *
 * A session reset runs the same handshake between the same identities: the
 * side that answers an offer is the initiator, the offer's prekeys stand in
 * for `SPK_C` and `PQSPK_C`, and `psk` is the reset's public one (see
 * `reset_offer.ts`), so the pinned identity keys authenticate it.
 *
 * @module
 */

import type { Bundle } from "./bundle_format.ts";
import { bundleKeys, bundlePrekeys } from "./bundle_keys.ts";
import { concatBytes, utf8 } from "./encoding.ts";
import { hkdf } from "./kdf.ts";
import {
  decapsulate,
  encapsulate,
  KEM_CIPHERTEXT_BYTES,
  type KemBackend,
  type KemKeyPair,
} from "./kem.ts";
import { assertUlid } from "./ulid.ts";
import { generateX25519KeyPair, type RandomSource, x25519 } from "./x25519.ts";

/** What the first message carries so the responder can derive `SK`. */
export interface Handshake {
  /** The initiator's 32-byte ephemeral X25519 public key. */
  ek: Uint8Array;
  /** The 1088-byte ML-KEM-768 ciphertext. */
  ct: Uint8Array;
}

/** Who the handshake is between, bound into the key. */
export interface HandshakeParties {
  /** The conversation ULID. */
  conversationId: string;
  /** The joiner's participant ULID. */
  initiatorId: string;
  /** The creator's participant ULID. */
  responderId: string;
  /**
   * `deriveSessionSalt(S)`: 32 bytes only holders of the invite know; after a
   * session reset, the public `resetPsk(generation)`.
   */
  psk: Uint8Array;
}

/** The responder's public keys, raw: what a session reset offer names. */
export interface ResponderKeys {
  /** The 32-byte identity X25519 public key `IK_C`. */
  dhPublic: Uint8Array;
  /** The 32-byte X25519 signed prekey `SPK_C`. */
  spkPublic: Uint8Array;
  /** The 1184-byte ML-KEM-768 signed prekey `PQSPK_C`. */
  pqspkPublic: Uint8Array;
}

/** Inputs of {@linkcode initiateHandshake}. */
export interface InitiateHandshakeOptions extends HandshakeParties {
  /** The joiner's identity X25519 private key `IK_J`. */
  initiatorDhPrivate: CryptoKey;
  /**
   * The creator's bundle, already verified by the caller, or the
   * responder's keys from a verified reset offer.
   */
  responderBundle: Bundle | ResponderKeys;
  /** The ML-KEM backend to encapsulate with; detected when absent. */
  kemBackend?: KemBackend;
  /** Supplies the ephemeral key, for reproducible tests. */
  random?: RandomSource;
  /** Fixed encapsulation randomness, for reproducible tests (noble only). */
  kemMessage?: Uint8Array;
}

/** The result of {@linkcode initiateHandshake}. */
export interface InitiatedHandshake {
  /** The 32-byte shared key `SK` that seeds the Double Ratchet. */
  sharedKey: Uint8Array<ArrayBuffer>;
  /** What the first messages carry until the responder answers. */
  handshake: { ek: Uint8Array<ArrayBuffer>; ct: Uint8Array<ArrayBuffer> };
}

/** Inputs of {@linkcode respondHandshake}. */
export interface RespondHandshakeOptions extends HandshakeParties {
  /** The creator's identity X25519 private key `IK_C`. */
  responderDhPrivate: CryptoKey;
  /** The 32 raw bytes of the signed prekey's private half. */
  spkPrivate: Uint8Array;
  /** The ML-KEM signed prekey's private half. */
  pq: Pick<KemKeyPair, "backend" | "privateKey">;
  /** The joiner's 32-byte identity X25519 public key, from its bundle. */
  initiatorDhPublic: Uint8Array;
  /** The handshake from the joiner's first message. */
  handshake: Handshake;
}

const PQXDH_INFO = "anon/v2/pqxdh";
// Domain-separates the X25519 inputs from any other curve's, as in X3DH.
const PREFIX = new Uint8Array(32).fill(0xff);

/**
 * The joiner's half: derives `SK` and the handshake to send. The ephemeral
 * key exists only inside this call.
 */
export async function initiateHandshake(
  options: InitiateHandshakeOptions,
): Promise<InitiatedHandshake> {
  const info = handshakeInfo(options);
  const psk = checkPsk(options.psk);
  const responder = options.responderBundle;
  const { dhPublic: identityPublic, spkPublic, pqspkPublic } = "v" in responder
    ? { ...bundleKeys(responder), ...bundlePrekeys(responder) }
    : responder;
  const ephemeral = await generateX25519KeyPair(options.random);
  const [dh1, dh2, dh3, kem] = await Promise.all([
    x25519(options.initiatorDhPrivate, spkPublic),
    x25519(ephemeral.privateKey, identityPublic),
    x25519(ephemeral.privateKey, spkPublic),
    encapsulate(pqspkPublic, options.kemBackend, { message: options.kemMessage }),
  ]);
  ephemeral.privateKey.fill(0);
  const sharedKey = await deriveSharedKey(dh1, dh2, dh3, kem.sharedSecret, psk, info);
  return {
    sharedKey,
    handshake: { ek: Uint8Array.from(ephemeral.publicKey), ct: kem.ciphertext },
  };
}

/** The creator's half: derives the same `SK` from the joiner's handshake. */
export async function respondHandshake(
  options: RespondHandshakeOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const info = handshakeInfo(options);
  const psk = checkPsk(options.psk);
  const { ek, ct } = options.handshake;
  if (!(ek instanceof Uint8Array) || ek.length !== 32) {
    throw new TypeError("Invalid handshake: expected a 32-byte ephemeral key");
  }
  if (!(ct instanceof Uint8Array) || ct.length !== KEM_CIPHERTEXT_BYTES) {
    throw new TypeError(
      `Invalid handshake: expected a ${KEM_CIPHERTEXT_BYTES}-byte ML-KEM ciphertext`,
    );
  }
  const [dh1, dh2, dh3, ss] = await Promise.all([
    x25519(options.spkPrivate, options.initiatorDhPublic),
    x25519(options.responderDhPrivate, ek),
    x25519(options.spkPrivate, ek),
    decapsulate(options.pq, ct),
  ]);
  return await deriveSharedKey(dh1, dh2, dh3, ss, psk, info);
}

async function deriveSharedKey(
  dh1: Uint8Array,
  dh2: Uint8Array,
  dh3: Uint8Array,
  ss: Uint8Array,
  psk: Uint8Array,
  info: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const ikm = concatBytes(PREFIX, dh1, dh2, dh3, ss, psk);
  try {
    return await hkdf(ikm, new Uint8Array(32), info, 32);
  } finally {
    for (const secret of [ikm, dh1, dh2, dh3, ss]) secret.fill(0);
  }
}

function handshakeInfo(parties: HandshakeParties): Uint8Array<ArrayBuffer> {
  // Fixed-length IDs make the concatenation unambiguous.
  assertUlid(parties.conversationId, "conversation ID");
  assertUlid(parties.initiatorId, "initiator ID");
  assertUlid(parties.responderId, "responder ID");
  if (parties.initiatorId === parties.responderId) {
    throw new TypeError(
      `Invalid handshake: "${parties.initiatorId}" cannot shake hands with itself`,
    );
  }
  return utf8(
    PQXDH_INFO + parties.conversationId + parties.initiatorId + parties.responderId,
  );
}

function checkPsk(psk: Uint8Array): Uint8Array {
  if (!(psk instanceof Uint8Array) || psk.length !== 32) {
    throw new TypeError("Invalid handshake: expected a 32-byte psk");
  }
  return psk;
}
