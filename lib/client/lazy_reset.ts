/**
 * The session reset part as the client holds it: the same calls as
 * {@linkcode SessionReset}, with its code (`session_reset.ts`, the offer's
 * code and the prekeys' ML-KEM) fetched the first time a reset starts, an
 * offer arrives, or a pending reset must be resumed. A session that is never
 * reset never loads it.
 *
 * @module
 */
import type { ServerFrame } from "../protocol/server_frames.ts";
import { isResetting } from "./channel_state.ts";
import type { SessionReset, SessionResetParts } from "./session_reset.ts";

/** {@linkcode SessionReset}, fetched on first use. */
export class LazySessionReset {
  #parts: SessionResetParts;
  #reset: Promise<SessionReset> | null = null;

  constructor(parts: SessionResetParts) {
    this.#parts = parts;
  }

  #load(): Promise<SessionReset> {
    this.#reset ??= import("./session_reset.ts").then(
      ({ SessionReset }) => new SessionReset(this.#parts),
      (error) => {
        this.#reset = null;
        throw error;
      },
    );
    return this.#reset;
  }

  /** True while this side's offer waits for the peer's answer. */
  get pending(): boolean {
    return (this.#parts.state.conversation.reset ?? null) !== null;
  }

  /** {@linkcode SessionReset.start}. */
  async start(): Promise<void> {
    await (await this.#load()).start();
  }

  /** {@linkcode SessionReset.resume}: loads nothing unless a reset is under way. */
  async resume(): Promise<void> {
    if (!isResetting(this.#parts.state.conversation)) return;
    await (await this.#load()).resume();
  }

  /** {@linkcode SessionReset.receive}. */
  async receive(frame: Extract<ServerFrame, { type: "message" }>, bodyHash: string): Promise<void> {
    await (await this.#load()).receive(frame, bodyHash);
  }
}
