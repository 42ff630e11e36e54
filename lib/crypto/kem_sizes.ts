/**
 * The sizes of ML-KEM-768's keys and ciphertexts, apart from `kem.ts`, so
 * code that only checks a field's length (`envelope.ts`, `reset_offer.ts`)
 * does not pull in the KEM itself.
 *
 * @module
 */

/** The size of an ML-KEM-768 encapsulation key in bytes. */
export const KEM_PUBLIC_KEY_BYTES = 1184;
/** The size of an ML-KEM-768 ciphertext in bytes. */
export const KEM_CIPHERTEXT_BYTES = 1088;
/** The size of an ML-KEM-768 seed in bytes. */
export const KEM_SEED_BYTES = 64;
/** The size of the shared secret in bytes. */
export const KEM_SHARED_SECRET_BYTES = 32;
