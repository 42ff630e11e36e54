/**
 * Seals payloads for the peer and hands them to the connection. The
 * advanced ratchet is saved before anything leaves the browser, so a message
 * key is never used for two bodies by this tab.
 *
 * @module
 */
import type { Payload } from "../crypto/payload.ts";
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";
import { canSeal, sealPayload } from "./secure_channel.ts";

/** Seals and sends for one conversation. */
export class Courier {
  #state: ClientState;
  #connection: Connection;

  constructor(state: ClientState, connection: Connection) {
    this.#state = state;
    this.#connection = connection;
  }

  /** Whether the session can encrypt now. */
  get canSeal(): boolean {
    return canSeal(this.#state.conversation);
  }

  /** Seals a payload and saves the advanced ratchet; returns the body to send. */
  async seal(payload: Payload): Promise<string> {
    const sealed = await sealPayload(this.#state.conversation, payload);
    await this.#state.save(sealed.conversation);
    return sealed.body;
  }

  /**
   * Seals and sends a payload that is not kept: receipts, chunks, typing,
   * reads. Reports whether it went out (not when offline, paused or over
   * budget). Only receipts go out while sending is paused: they acknowledge
   * what arrived and say nothing new.
   */
  async sendEphemeral(payload: Payload): Promise<boolean> {
    if (this.#state.paused && payload.type !== "receipt") return false;
    if (!this.#connection.peerReady || !this.canSeal || !this.#connection.take()) return false;
    const body = await this.seal(payload);
    return this.#connection.transmit(payload.id, body);
  }
}
