/**
 * Seals payloads for the peer and hands them to the connection. The
 * advanced ratchet is saved before anything leaves the browser, so a message
 * key is never used for two bodies by this tab; the count of frames in
 * flight (see `in_flight.ts`) is saved with it.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import type { ChunkPayload, Payload } from "../crypto/payload.ts";
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";
import { FlightMarks, isBounded, MAX_IN_FLIGHT, stillToSend } from "./in_flight.ts";
import { channelCode } from "./channel_code.ts";
import { canSeal } from "./channel_state.ts";
import type { StoredConversation } from "./storage.ts";

/** Options of {@linkcode Courier.sendEphemeral}. */
export interface EphemeralOptions {
  /**
   * A receipt that only acknowledges again, a refusal said again or a cancel
   * told again: the bound holds it back.
   */
  again?: boolean;
}

/** Seals and sends for one conversation. */
export class Courier {
  #state: ClientState;
  #connection: Connection;
  #flight: FlightMarks;
  #unloaded = false;

  constructor(state: ClientState, connection: Connection) {
    this.#state = state;
    this.#connection = connection;
    this.#flight = new FlightMarks((id) => stillToSend(state.find(id)));
  }

  /** Whether the session can encrypt now. */
  get canSeal(): boolean {
    return canSeal(this.#state.conversation);
  }

  /**
   * Fetches the code that seals, if it is not here yet. False when it cannot
   * be fetched, with a problem that asks for a reload: nothing is sealed, and
   * what waits to go keeps waiting.
   */
  async ready(): Promise<boolean> {
    try {
      await channelCode();
      this.#unloaded = false;
      return true;
    } catch {
      this.#unloaded = true;
      this.#state.report("load", t("chat.problem_send_part_not_loaded"));
      return false;
    }
  }

  /**
   * Whether the last try to fetch the code that seals failed. Nothing that
   * waits to go is then tried again on a timer (a browser keeps a failed
   * module fetch, so it would fail at once, again and again); the next
   * flush that comes anyway tries once more.
   */
  get unloaded(): boolean {
    return this.#unloaded;
  }

  /** Whether bounded frames are held back: {@linkcode MAX_IN_FLIGHT} are in flight. */
  get full(): boolean {
    return this.#flight.count(this.#state.conversation) >= MAX_IN_FLIGHT;
  }

  /**
   * Seals a payload and saves the advanced ratchet with the count of frames
   * in flight; returns the body to send.
   */
  async seal(payload: Payload, options: EphemeralOptions = {}): Promise<string> {
    const { sealPayload } = await channelCode();
    const { conversation } = this.#state;
    const sealed = await sealPayload(conversation, payload);
    const flight = this.#flight.sealed(conversation, payload, options.again);
    await this.#state.save({ ...sealed.conversation, flight });
    return sealed.body;
  }

  /**
   * Seals and sends a payload that is not kept: receipts, chunks, typing,
   * reads. Reports whether it went out (not when offline, paused, over
   * budget or held by the bound on frames in flight). Only receipts go out
   * while sending is paused: they acknowledge what arrived and say nothing new.
   */
  async sendEphemeral(payload: Payload, options: EphemeralOptions = {}): Promise<boolean> {
    if (!await this.ready()) return false;
    if (this.#state.paused && payload.type !== "receipt") return false;
    if (!this.#connection.peerReady || !this.canSeal) return false;
    if (
      isBounded(payload, options.again) &&
      !this.#flight.allows(this.#state.conversation, payload.type !== "receipt")
    ) return false;
    if (!this.#connection.take()) return false;
    const body = await this.seal(payload, options);
    return this.#connection.transmit(payload.id, body);
  }

  /**
   * Seals file chunks one after another as far as the chunk budget and the
   * bound on frames in flight allow, saves the advanced ratchet once for
   * all of them, then sends them: one flush to disk per batch instead of
   * one per chunk, and still nothing leaves before it is saved. Returns how
   * many went out; none when offline or paused.
   */
  async sendChunks(payloads: readonly ChunkPayload[]): Promise<number> {
    if (!await this.ready()) return 0;
    const { sealPayload } = await channelCode();
    if (this.#state.paused || !this.#connection.peerReady || !this.canSeal) return 0;
    let conversation = this.#state.conversation;
    const bodies: { id: string; body: string }[] = [];
    for (const payload of payloads) {
      if (!this.#flight.allows(conversation, true) || !this.#connection.takeChunk()) break;
      const sealed = await sealPayload(conversation, payload);
      const flight = this.#flight.sealed(conversation, payload);
      conversation = { ...sealed.conversation, flight };
      bodies.push({ id: payload.id, body: sealed.body });
    }
    if (bodies.length === 0) return 0;
    await this.#state.save(conversation);
    let sent = 0;
    for (const { id, body } of bodies) {
      if (!this.#connection.transmit(id, body)) break;
      sent++;
    }
    return sent;
  }

  /**
   * The conversation with the peer's receipt for `ids` counted against the
   * frames in flight; save it. Wakes a held transfer when the bound lifts.
   */
  acknowledged(conversation: StoredConversation, ids: readonly string[]): StoredConversation {
    return this.#flight.acknowledge(conversation, ids);
  }

  /** Resolves when the bound lifts, or within a second (a probe may be due). */
  whenOpen(): Promise<void> {
    return this.#flight.whenOpen();
  }

  /** Forgets what was in flight, as a new session starts. */
  restart(): void {
    this.#flight.restart();
  }
}
