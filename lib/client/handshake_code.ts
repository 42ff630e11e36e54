/**
 * The code that runs a handshake: PQXDH with ML-KEM (`pqxdh.ts`), the
 * pre-shared key of a session reset (`reset_offer.ts`), and the session
 * steps built on them (`handshake_steps.ts`). `secure_channel.ts` fetches it
 * when a handshake runs, so a page whose session is already set up loads
 * none of it.
 *
 * @module
 */
export { initiateHandshake, respondHandshake } from "../crypto/pqxdh.ts";
export { resetPsk } from "../crypto/reset_offer.ts";
export { acceptReset, respond, startInitiator } from "./handshake_steps.ts";
