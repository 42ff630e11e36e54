/**
 * Call signalling as the client holds it: what the chat page needs before
 * any call (whether the call buttons may be pressed, the TURN credentials the
 * server gave this socket), with the signalling itself (`calls.ts`) fetched
 * the first time a call starts or a call payload arrives.
 *
 * Call payloads that arrive while it loads wait in order and are handed over
 * once it is there, so an offer rings (and its ICE candidates are kept) as
 * if it had been loaded all along; a failed fetch is tried again with the
 * next payload, and the ones waiting are kept for it.
 *
 * @module
 */
import type { CallPayload } from "../crypto/payload_call.ts";
import { whyNoCall } from "./call_blocked.ts";
import type { CallOfferPayload } from "../crypto/payload_call.ts";
import type { Calls, CallsOptions, CallsParts, TurnCredentials } from "./calls.ts";

/** {@linkcode Calls}, fetched on first use. */
export class LazyCalls {
  #parts: CallsParts;
  #options: CallsOptions;
  #calls: Promise<Calls> | null = null;
  #loaded: Calls | null = null;
  #turn: TurnCredentials | null = null;
  /** Call payloads that came before the code, oldest first. */
  #waiting: CallPayload[] = [];
  #stopped = false;

  constructor(parts: CallsParts, options: CallsOptions = {}) {
    this.#parts = parts;
    this.#options = options;
  }

  /** The signalling itself, fetched the first time it is asked for. */
  load(): Promise<Calls> {
    this.#calls ??= import("./calls.ts").then(
      ({ Calls }) => {
        const calls = new Calls(this.#parts, this.#options);
        calls.setTurn(this.#turn);
        this.#loaded = calls;
        return calls;
      },
      (error) => {
        this.#calls = null;
        throw error;
      },
    );
    return this.#calls;
  }

  /** `Calls.setTurn`: kept here until the signalling is loaded. */
  setTurn(turn: TurnCredentials | null): void {
    this.#turn = turn;
    this.#loaded?.setTurn(turn);
  }

  /** `Calls.whyNot`: why a call cannot start now, or null when it can. */
  whyNot(): string | null {
    return whyNoCall(this.#parts);
  }

  /** `Calls.ringing`: nothing rings before the signalling is loaded. */
  get ringing(): CallOfferPayload["media"] | null {
    return this.#loaded?.ringing ?? null;
  }

  /** `Calls.receive`: loads the signalling, then hands over every payload waiting, in order. */
  receive(payload: CallPayload): void {
    if (this.#loaded !== null && this.#waiting.length === 0) {
      return this.#loaded.receive(payload);
    }
    this.#waiting.push(payload);
    this.load().then((calls) => {
      if (this.#stopped) return;
      for (const waiting of this.#waiting.splice(0)) calls.receive(waiting);
    }, () => {});
  }

  /** `Calls.stop`. */
  stop(): void {
    this.#stopped = true;
    this.#loaded?.stop();
  }
}
