/**
 * Messages that come before the peer is known (after a reconnect, before
 * `joined` was seen). Each waits, in order, for a read of the server's
 * record made aside (`PeerKeys.refreshAside`), then is taken in the queue:
 * a slow server, or a relay that sends many such frames, never holds the
 * person's own changes behind record reads.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";
import type { ClientState } from "./client_state.ts";
import type { PeerKeys } from "./peer_keys.ts";

/** A relayed message frame. */
export type MessageFrame = Extract<ServerFrame, { type: "message" }>;

/** How many frames may wait for the record to name the peer; more are refused. */
export const MAX_WAITING = 64;

/** Holds frames until the record has been read, then hands them on in order. */
export class UnknownSender {
  #state: ClientState;
  #peers: PeerKeys;
  #take: (frame: MessageFrame) => Promise<void>;
  #waiting: MessageFrame[] = [];

  /** `take` handles one frame in the queue once the record was read. */
  constructor(state: ClientState, peers: PeerKeys, take: (frame: MessageFrame) => Promise<void>) {
    this.#state = state;
    this.#peers = peers;
    this.#take = take;
  }

  /**
   * Keeps `frame` for later and reports true when it must wait: the peer is
   * not known yet, or earlier frames still wait (order is kept). Past
   * {@linkcode MAX_WAITING} the frame is refused as not from the peer; its
   * sender, without a receipt, sends it again.
   */
  held(frame: MessageFrame): boolean {
    if (this.#state.conversation.peer !== null && this.#waiting.length === 0) return false;
    if (this.#waiting.length >= MAX_WAITING) {
      this.#state.report("message", t("chat.problem_not_the_peer"));
      return true;
    }
    this.#waiting.push(frame);
    if (this.#waiting.length === 1) {
      this.#peers.refreshAside().catch(() => {}).then(() => this.#next()).catch(() => {});
    }
    return true;
  }

  /** Takes the first waiting frame in the queue, then the next, one queue step each. */
  #next(): Promise<void> {
    return this.#state.serial(async () => {
      try {
        await this.#take(this.#waiting[0]);
      } finally {
        this.#waiting.shift();
        // Queued before this step ends, so the queue stays busy till the last.
        if (this.#waiting.length > 0) this.#next().catch(() => {});
      }
    });
  }
}
