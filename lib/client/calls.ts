/**
 * Call signalling of one conversation: the small, always loaded half of
 * calls. It seals call payloads through the courier (never stored, like
 * typing notices) and hands the ones that arrive to whoever listens: the call
 * code, which the chat page loads only once a call starts or rings. Until
 * then it keeps an incoming offer (and its ICE candidates) here, answers
 * `call-ring` at once, and lets it ring for {@linkcode CallsOptions.ringMs}.
 *
 * A call may start only while the peer is online and the session is secure
 * and unpaused ({@linkcode Calls.whyNot}). A missed or declined call becomes a
 * notice in this browser's history only: nothing about it reaches the server.
 *
 * @module
 */
import type { CallOfferPayload, CallPayload } from "../crypto/payload_call.ts";
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";
import type { Courier } from "./courier.ts";
import { recordText } from "./call_state.ts";
import { whyNoCall } from "./call_blocked.ts";
import { withMessageDefaults } from "./storage.ts";

/** How long a call rings before it counts as missed, unless the page sets another time. */
export const DEFAULT_RING_MS = 45_000;

/**
 * How old, by this browser's clock, an offer may be and still ring: the
 * caller stops ringing after {@linkcode DEFAULT_RING_MS}; the rest is room
 * for clocks that differ. An older offer (held back by the relay, or
 * opened again by a browser whose data was rolled back) is kept as a missed
 * call instead, and nothing is sent for it.
 */
export const STALE_OFFER_MS = 10 * 60_000;

/** The most ICE candidate payloads kept for an offer nobody has answered yet. */
const MAX_HELD_ICE = 32;

/** A call payload without the fields every payload gets when it is sealed. */
export type CallSignal = CallPayload extends infer P
  ? P extends CallPayload ? Omit<P, "v" | "id" | "sentAt"> : never
  : never;

/** An offer that rings here, with the candidates that came with it. */
export interface IncomingCall {
  offer: CallOfferPayload;
  ice: CallPayload[];
}

/** A TURN server's time-limited credentials, as the server hands them to this socket. */
export interface TurnCredentials {
  urls: string[];
  username: string;
  credential: string;
}

/** How calls reach the peer: through TURN only, or directly. */
export interface CallRoute {
  iceServers: RTCIceServer[];
  /** True with TURN: relayed candidates only, so neither side learns the other's address. */
  relayOnly: boolean;
}

/** The parts calls work with. */
export interface CallsParts {
  state: ClientState;
  courier: Courier;
  connection: Connection;
}

/** Options of {@linkcode Calls}. */
export interface CallsOptions {
  /** How long a call rings (milliseconds); tests shorten it. */
  ringMs?: number;
}

/** Call signalling for one conversation. */
export class Calls {
  #parts: CallsParts;
  #listener: ((payload: CallPayload) => void) | null = null;
  #incoming: IncomingCall | null = null;
  #ringTimer: ReturnType<typeof setTimeout> | undefined;
  #turn: TurnCredentials | null = null;
  /** How long a call rings before it counts as missed. */
  readonly ringMs: number;

  constructor(parts: CallsParts, options: CallsOptions = {}) {
    this.#parts = parts;
    this.ringMs = options.ringMs ?? DEFAULT_RING_MS;
  }

  /** The conversation ID, which names the per-conversation consent to direct calls. */
  get conversationId(): string {
    return this.#parts.state.conversation.id;
  }

  /** Takes the TURN credentials the server gave this socket (null: none configured). */
  setTurn(turn: TurnCredentials | null): void {
    this.#turn = turn;
  }

  /** The route a call takes now: relayed through TURN when the server offers it, else direct. */
  route(): CallRoute {
    const turn = this.#turn;
    if (turn === null) return { iceServers: [], relayOnly: false };
    return {
      iceServers: [{ urls: turn.urls, username: turn.username, credential: turn.credential }],
      relayOnly: true,
    };
  }

  /** Why a call cannot start now, in words for the person, or null when it can. */
  whyNot(): string | null {
    return whyNoCall(this.#parts);
  }

  /** The media of the offer ringing here that nobody has taken yet, or null. */
  get ringing(): CallOfferPayload["media"] | null {
    return this.#listener === null ? this.#incoming?.offer.media ?? null : null;
  }

  /**
   * Seals and sends one call payload; reports whether it went out (not when
   * the peer is offline, sending is paused, or the send budget is spent for
   * a few tries).
   */
  async send(signal: CallSignal): Promise<boolean> {
    const { state, courier, connection } = this.#parts;
    for (let attempt = 0; attempt < 5; attempt++) {
      const sent = await state.serial(() =>
        courier.sendEphemeral({ v: 2, id: state.ulid(), sentAt: Date.now(), ...signal })
      );
      if (sent) return true;
      if (!connection.peerReady || state.paused || connection.waitMs() === 0) return false;
      await new Promise((resolve) => setTimeout(resolve, connection.waitMs()));
    }
    return false;
  }

  /**
   * Makes `listener` the receiver of every call payload from now on, and
   * hands over the incoming call that rings, if any. Returns the function
   * that stops listening.
   */
  listen(
    listener: (payload: CallPayload) => void,
  ): { incoming: IncomingCall | null; stop(): void } {
    const incoming = this.#incoming;
    this.#incoming = null;
    clearTimeout(this.#ringTimer);
    this.#listener = listener;
    this.#parts.state.changed();
    return {
      incoming,
      stop: () => {
        if (this.#listener === listener) this.#listener = null;
        this.#parts.state.changed();
      },
    };
  }

  /** Takes a call payload the inbox opened. */
  receive(payload: CallPayload): void {
    if (this.#listener !== null) return this.#listener(payload);
    const incoming = this.#incoming;
    if (payload.type === "call-offer") {
      if (Date.now() - payload.sentAt > STALE_OFFER_MS) {
        this.record(recordText("missed", payload.media), "in").catch(() => {});
        return;
      }
      if (incoming !== null) {
        // One call at a time: a second offer while one rings is answered busy.
        this.send({ type: "call-end", call: payload.call, reason: "busy" });
        return;
      }
      this.#incoming = { offer: payload, ice: [] };
      this.send({ type: "call-ring", call: payload.call });
      clearTimeout(this.#ringTimer);
      this.#ringTimer = setTimeout(() => this.#missed(payload), this.ringMs + 5000);
      this.#parts.state.changed();
      return;
    }
    if (incoming === null || payload.call !== incoming.offer.call) return;
    if (payload.type === "call-ice" && incoming.ice.length < MAX_HELD_ICE) {
      incoming.ice.push(payload);
    } else if (payload.type === "call-end") {
      this.#missed(incoming.offer);
    }
  }

  /**
   * Keeps a missed or declined call as a notice in this browser's history
   * (never sent, never on the server).
   */
  async record(text: string, direction: "in" | "out"): Promise<void> {
    const { state } = this.#parts;
    await state.serial(async () => {
      await state.insert(withMessageDefaults({
        conversationId: state.conversation.id,
        id: state.ulid(),
        direction,
        kind: "call",
        text,
        sentAt: Date.now(),
        status: direction === "in" ? "read" : "delivered",
        envelope: null,
      }));
      state.changed();
    });
  }

  /** Forgets a ringing call at the end of the page. */
  stop(): void {
    clearTimeout(this.#ringTimer);
  }

  #missed(offer: CallOfferPayload): void {
    clearTimeout(this.#ringTimer);
    if (this.#incoming?.offer.call !== offer.call) return;
    this.#incoming = null;
    this.#parts.state.changed();
    this.record(recordText("missed", offer.media), "in").catch(() => {});
  }
}
