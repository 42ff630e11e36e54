/**
 * ML-KEM-768 (FIPS 203) key encapsulation with two interchangeable backends:
 * WebCrypto where the runtime has it, `@noble/post-quantum` where it does not.
 * Both produce and accept the same bytes, so the two peers of a conversation
 * may use different backends.
 *
 * @module
 */
import { KEM_CIPHERTEXT_BYTES, KEM_PUBLIC_KEY_BYTES, KEM_SEED_BYTES } from "./kem_sizes.ts";

type NobleKem = typeof import("@noble/post-quantum/ml-kem.js").ml_kem768;

let nobleModule: Promise<NobleKem> | undefined;

/**
 * Loads `@noble/post-quantum` on first use. It is a dynamic import so the
 * bundler puts it in a chunk of its own, which a browser with WebCrypto
 * ML-KEM never downloads.
 */
function noble(): Promise<NobleKem> {
  nobleModule ??= import("@noble/post-quantum/ml-kem.js").then((module) => module.ml_kem768);
  return nobleModule;
}

/** Which implementation performs ML-KEM-768. */
export type KemBackend = "webcrypto" | "noble";

/** An ML-KEM-768 key pair. */
export interface KemKeyPair {
  /** The implementation the private key belongs to. */
  backend: KemBackend;
  /** The 1184-byte encapsulation (public) key. */
  publicKey: Uint8Array;
  /**
   * The decapsulation key. With "webcrypto" a non-extractable `CryptoKey`;
   * with "noble" the 64-byte FIPS 203 seed `d ‖ z`, the same bytes WebCrypto
   * imports as "raw-seed", from which noble rebuilds the expanded key.
   */
  privateKey: CryptoKey | Uint8Array;
}

/** The result of {@linkcode encapsulate}. */
export interface Encapsulation {
  /** The 1088-byte ciphertext sent to the key's owner. */
  ciphertext: Uint8Array<ArrayBuffer>;
  /** The 32-byte shared secret. */
  sharedSecret: Uint8Array<ArrayBuffer>;
}

/** Options of {@linkcode generateKemKeyPair}. */
export interface GenerateKemKeyPairOptions {
  /** A fixed 64-byte seed `d ‖ z`, for tests; random when absent. */
  seed?: Uint8Array;
}

/** Options of {@linkcode encapsulate}. */
export interface EncapsulateOptions {
  /**
   * The 32-byte encapsulation randomness `m`, for reproducible tests. Only
   * the noble backend accepts it: WebCrypto always draws its own.
   */
  message?: Uint8Array;
}

export {
  KEM_CIPHERTEXT_BYTES,
  KEM_PUBLIC_KEY_BYTES,
  KEM_SEED_BYTES,
  KEM_SHARED_SECRET_BYTES,
} from "./kem_sizes.ts";

const ALGORITHM = { name: "ML-KEM-768" };

// The TypeScript DOM library predates ML-KEM in WebCrypto, so the calls go
// through this narrow typed view instead of `any` sprinkled around.
interface KemSubtle {
  generateKey(
    algorithm: typeof ALGORITHM,
    extractable: boolean,
    usages: string[],
  ): Promise<CryptoKeyPair>;
  importKey(
    format: "raw-seed" | "raw-public",
    data: Uint8Array<ArrayBuffer>,
    algorithm: typeof ALGORITHM,
    extractable: boolean,
    usages: string[],
  ): Promise<CryptoKey>;
  exportKey(format: "raw-public", key: CryptoKey): Promise<ArrayBuffer>;
  encapsulateBits(
    algorithm: typeof ALGORITHM,
    publicKey: CryptoKey,
  ): Promise<{ ciphertext: ArrayBuffer; sharedKey: ArrayBuffer }>;
  decapsulateBits(
    algorithm: typeof ALGORITHM,
    privateKey: CryptoKey,
    ciphertext: Uint8Array<ArrayBuffer>,
  ): Promise<ArrayBuffer>;
  getPublicKey?(key: CryptoKey, usages: string[]): Promise<CryptoKey>;
}

function subtle(): KemSubtle {
  return crypto.subtle as unknown as KemSubtle;
}

let detected: Promise<KemBackend> | undefined;

/**
 * Tells which backend this runtime should use: "webcrypto" if WebCrypto has
 * `encapsulateBits` and `decapsulateBits` and an ML-KEM-768 key generation
 * succeeds, else "noble". The key generation's answer is cached.
 */
export function detectKemBackend(): Promise<KemBackend> {
  const { encapsulateBits, decapsulateBits } = subtle();
  if (typeof encapsulateBits !== "function" || typeof decapsulateBits !== "function") {
    return Promise.resolve("noble");
  }
  detected ??= subtle()
    .generateKey(ALGORITHM, false, ["encapsulateBits", "decapsulateBits"])
    .then((): KemBackend => "webcrypto", (): KemBackend => "noble");
  return detected;
}

async function resolveBackend(backend?: KemBackend): Promise<KemBackend> {
  if (backend === undefined) return await detectKemBackend();
  if (backend !== "webcrypto" && backend !== "noble") {
    throw new TypeError(`Unknown ML-KEM backend "${String(backend)}"`);
  }
  return backend;
}

/**
 * Generates an ML-KEM-768 key pair with the given backend (detected when
 * absent). A WebCrypto private key is non-extractable.
 */
export async function generateKemKeyPair(
  backend?: KemBackend,
  options: GenerateKemKeyPairOptions = {},
): Promise<KemKeyPair> {
  const chosen = await resolveBackend(backend);
  const seed = options.seed === undefined ? undefined : checkBytes(
    options.seed,
    KEM_SEED_BYTES,
    "ML-KEM seed",
  );
  if (chosen === "noble") {
    const privateKey = seed ?? crypto.getRandomValues(new Uint8Array(KEM_SEED_BYTES));
    const { publicKey } = (await noble()).keygen(privateKey);
    return { backend: chosen, publicKey: Uint8Array.from(publicKey), privateKey };
  }
  if (seed === undefined) {
    const pair = await subtle().generateKey(ALGORITHM, false, [
      "encapsulateBits",
      "decapsulateBits",
    ]);
    // WebCrypto public keys are always extractable.
    const publicKey = new Uint8Array(
      await subtle().exportKey("raw-public", pair.publicKey),
    );
    return { backend: chosen, publicKey, privateKey: pair.privateKey };
  }
  const privateKey = await importKemSeed(seed);
  return { backend: chosen, publicKey: await kemPublicKeyFromSeed(seed), privateKey };
}

/**
 * Imports a 64-byte seed as a non-extractable WebCrypto decapsulation key
 * (format "raw-seed").
 */
export async function importKemSeed(seed: Uint8Array): Promise<CryptoKey> {
  checkBytes(seed, KEM_SEED_BYTES, "ML-KEM seed");
  return await subtle().importKey("raw-seed", seed.slice(), ALGORITHM, false, [
    "decapsulateBits",
  ]);
}

/** Computes the 1184-byte encapsulation key belonging to a 64-byte seed. */
export async function kemPublicKeyFromSeed(
  seed: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  checkBytes(seed, KEM_SEED_BYTES, "ML-KEM seed");
  const api = subtle();
  if (typeof api.getPublicKey === "function" && await detectKemBackend() === "webcrypto") {
    const privateKey = await importKemSeed(seed);
    const publicKey = await api.getPublicKey(privateKey, ["encapsulateBits"]);
    return new Uint8Array(await api.exportKey("raw-public", publicKey));
  }
  return Uint8Array.from((await noble()).keygen(seed).publicKey);
}

/**
 * Encapsulates a fresh shared secret to a 1184-byte encapsulation key.
 *
 * @example
 * ```ts
 * const { ciphertext, sharedSecret } = await encapsulate(peer.publicKey);
 * ```
 */
export async function encapsulate(
  publicKey: Uint8Array,
  backend?: KemBackend,
  options: EncapsulateOptions = {},
): Promise<Encapsulation> {
  checkBytes(publicKey, KEM_PUBLIC_KEY_BYTES, "ML-KEM public key");
  const chosen = await resolveBackend(backend);
  if (chosen === "noble") {
    const message = options.message === undefined
      ? undefined
      : checkBytes(options.message, 32, "ML-KEM encapsulation randomness");
    const kem = await noble();
    let result;
    try {
      result = kem.encapsulate(publicKey, message);
    } catch (error) {
      throw new TypeError("Invalid ML-KEM public key: not a valid encapsulation key", {
        cause: error,
      });
    }
    return {
      ciphertext: Uint8Array.from(result.cipherText),
      sharedSecret: Uint8Array.from(result.sharedSecret),
    };
  }
  if (options.message !== undefined) {
    throw new TypeError(
      'Cannot encapsulate with fixed randomness: only the "noble" backend accepts it',
    );
  }
  let result: { ciphertext: ArrayBuffer; sharedKey: ArrayBuffer };
  try {
    const key = await subtle().importKey("raw-public", publicKey.slice(), ALGORITHM, true, [
      "encapsulateBits",
    ]);
    result = await subtle().encapsulateBits(ALGORITHM, key);
  } catch (error) {
    // The FIPS 203 modulus check on the key fails at import or encapsulation.
    throw new TypeError("Invalid ML-KEM public key: not a valid encapsulation key", {
      cause: error,
    });
  }
  return {
    ciphertext: new Uint8Array(result.ciphertext),
    sharedSecret: new Uint8Array(result.sharedKey),
  };
}

/**
 * Recovers the shared secret from a 1088-byte ciphertext. A ciphertext that
 * was altered does not throw: ML-KEM's implicit rejection yields an unrelated
 * secret, so the tampering shows up when the first message fails to decrypt.
 */
export async function decapsulate(
  keyPair: Pick<KemKeyPair, "backend" | "privateKey">,
  ciphertext: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  checkBytes(ciphertext, KEM_CIPHERTEXT_BYTES, "ML-KEM ciphertext");
  const { backend, privateKey } = keyPair;
  if (backend === "noble") {
    if (!(privateKey instanceof Uint8Array)) {
      throw new TypeError('Invalid ML-KEM private key: the "noble" backend needs the seed bytes');
    }
    checkBytes(privateKey, KEM_SEED_BYTES, "ML-KEM seed");
    const kem = await noble();
    const { secretKey } = kem.keygen(privateKey);
    try {
      return Uint8Array.from(kem.decapsulate(ciphertext, secretKey));
    } finally {
      secretKey.fill(0);
    }
  }
  if (backend !== "webcrypto") {
    throw new TypeError(`Unknown ML-KEM backend "${String(backend)}"`);
  }
  // A seed is accepted too, so a key made by noble works with WebCrypto.
  const key = privateKey instanceof Uint8Array ? await importKemSeed(privateKey) : privateKey;
  return new Uint8Array(
    await subtle().decapsulateBits(ALGORITHM, key, ciphertext.slice()),
  );
}

function checkBytes(
  value: Uint8Array,
  length: number,
  name: string,
): Uint8Array<ArrayBuffer> {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`Invalid ${name}: expected a Uint8Array`);
  }
  if (value.length !== length) {
    throw new TypeError(
      `Invalid ${name}: expected ${length} bytes, got ${value.length}`,
    );
  }
  return value.slice();
}
