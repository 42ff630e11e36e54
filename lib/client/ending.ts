/**
 * The end of a conversation. The relay's word that it ended is only a hint:
 * it is believed once the server no longer has the conversation (or this
 * browser's own clock says it expired, and the server's record holds no
 * later end). "The other person deleted it" is
 * said only after the peer's sealed notice, which a deleting browser sends
 * before it asks the server to burn the conversation.
 *
 * @module
 */
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";
import type { Courier } from "./courier.ts";
import type { PeerKeys } from "./peer_keys.ts";
import type { StoredConversation } from "./storage.ts";

/** How long a delete waits for the server to confirm. */
const DELETE_TIMEOUT_MS = 5000;

/** The parts an ending works with. */
export interface EndingParts {
  state: ClientState;
  connection: Connection;
  courier: Courier;
  peers: PeerKeys;
}

/** How one conversation ends. */
export class Ending {
  #parts: EndingParts;
  #endWaiters: (() => void)[] = [];
  /** Set while this browser's own delete request is out, until it is confirmed or times out. */
  #deleting = false;

  constructor(parts: EndingParts) {
    this.#parts = parts;
  }

  /**
   * Checks whether the conversation is over: gone from the server (read
   * outside the queue), or past its expiry here once that read is in, since
   * the record may hold a later end this browser missed. A server that
   * cannot be reached proves nothing, and then this browser's end stands.
   * While this browser's own delete is out, the relay's word is enough: the
   * worst a lie could do is report a deletion this browser makes anyway.
   * Call it outside the queue.
   */
  async check(): Promise<void> {
    const { state, peers } = this.#parts;
    if (state.conversation.closed !== null) return;
    if (this.#deleting) return await state.serial(() => this.#end("ended"));
    const kept = await peers.refreshAside();
    await state.serial(async () => {
      if (this.#expired()) return await this.#end("expired");
      if (!kept) await this.#end("ended");
    });
  }

  /** The peer's sealed notice: the other person deleted the conversation. */
  async onPeerEnded(): Promise<void> {
    await this.#end("deleted");
  }

  /**
   * Tells the peer (sealed), then asks the server to burn the conversation
   * and waits for the end to be confirmed. Reports whether it was.
   */
  async requestDelete(): Promise<boolean> {
    const { state, connection, courier } = this.#parts;
    const ended = new Promise<void>((resolve) => this.#endWaiters.push(resolve));
    await state.serial(async () => {
      // Sent even while sending is paused: a deletion is no new content.
      // Told if it can be: the deletion goes on without the code that seals.
      if (!connection.peerReady || !courier.canSeal || !await courier.ready()) return;
      const id = state.ulid();
      connection.transmit(id, await courier.seal({ v: 2, type: "end", id, sentAt: Date.now() }));
    });
    if (!connection.requestDelete()) return false;
    this.#deleting = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, DELETE_TIMEOUT_MS));
    await Promise.race([ended, timeout]);
    clearTimeout(timer);
    // Unconfirmed: the relay's word is a hint again, checked with the server.
    if (state.conversation.closed === null) this.#deleting = false;
    return state.conversation.closed !== null;
  }

  #expired(): boolean {
    return Date.parse(this.#parts.state.conversation.expiresAt) <= Date.now();
  }

  async #end(reason: NonNullable<StoredConversation["closed"]>): Promise<void> {
    const { state, connection } = this.#parts;
    if (state.conversation.closed === null) {
      await state.save({ ...state.conversation, closed: reason });
    }
    connection.stop();
    for (const resolve of this.#endWaiters.splice(0)) resolve();
    state.changed();
  }
}
