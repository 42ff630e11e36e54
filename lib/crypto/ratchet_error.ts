/**
 * The error of the Double Ratchet: a message that cannot be decrypted, or a
 * ratchet that cannot send yet. `ratchet.ts` exports it with the functions
 * that throw it.
 *
 * @module
 */

/** A message could not be decrypted, or the ratchet cannot send yet. */
export class RatchetError extends Error {
  /** Creates the error; the message says what failed. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RatchetError";
  }
}
