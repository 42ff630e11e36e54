/**
 * The ICE candidates of a call as they travel inside the session: the ones
 * gathered here go out in `call-ice` payloads (batched, and only once the
 * offer or answer they belong to has gone out), and the peer's are held
 * until the connection has a remote description to add them to.
 *
 * @module
 */
import { type CallCandidate, MAX_CANDIDATES } from "../crypto/payload_call.ts";

/** Candidates of one call, both ways. */
export class CallIce {
  #send: (candidates: CallCandidate[]) => void;
  #held: CallCandidate[] = [];
  #out: CallCandidate[] = [];
  #sending = false;

  /** `send`: seals and sends one batch of this side's candidates. */
  constructor(send: (candidates: CallCandidate[]) => void) {
    this.#send = send;
  }

  /** A candidate gathered here: sent once {@linkcode start} was called, in batches. */
  gathered(candidate: CallCandidate): void {
    this.#out.push(candidate);
    if (this.#sending) setTimeout(() => this.#flush(), 30);
  }

  /** The offer or answer went out: sends what was gathered, and from now on all the rest. */
  start(): void {
    this.#sending = true;
    this.#flush();
  }

  /** Candidates from the peer: added to `pc` now, or once it has a remote description. */
  async received(pc: RTCPeerConnection | null, candidates: CallCandidate[]): Promise<void> {
    this.#held.push(...candidates);
    await this.apply(pc);
  }

  /** Adds the peer's held candidates to `pc` if it has a remote description. */
  async apply(pc: RTCPeerConnection | null): Promise<void> {
    if (pc === null || pc.remoteDescription === null) return;
    for (const candidate of this.#held.splice(0)) {
      // A candidate of an earlier ICE generation is refused; that is fine.
      await pc.addIceCandidate(candidate).catch(() => {});
    }
  }

  #flush(): void {
    while (this.#out.length > 0) this.#send(this.#out.splice(0, MAX_CANDIDATES));
  }
}
