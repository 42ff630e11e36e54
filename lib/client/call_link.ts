/**
 * The connection of a call once it is set up: connected (after the check of
 * the negotiated DTLS fingerprint), then, when the network goes away,
 * reconnecting by an ICE restart inside the session, or ended with why.
 *
 * When the connection goes `disconnected` or `failed`, both sides show
 * "reconnecting". The caller restarts ICE: `createOffer({ iceRestart: true })`
 * sent sealed as `call-restart`, numbered, and again every
 * {@linkcode RESTART_RETRY_MS} while it has not come back; the callee answers
 * each with `call-restart-answer`. Either side ends the call when the
 * connection is not back within {@linkcode RECONNECT_MS}. A restart offer or
 * answer must carry the DTLS fingerprint of the call's first one, and the
 * negotiated one is checked again once connected: a relay that cannot alter
 * sealed payloads cannot use a restart to step into the call either.
 *
 * @module
 */
import type { CallEndReason, CallPayload } from "../crypto/payload_call.ts";
import { sdpFingerprint } from "../crypto/sdp_fingerprint.ts";
import type { CallSignal } from "./calls.ts";
import { verifyPeer } from "./call_peer.ts";
import { type CallSnapshot, type CallTimer, endText } from "./call_state.ts";
import { t } from "../i18n/i18n.ts";

/** How long a lost connection may take to come back before the call ends. */
export const RECONNECT_MS = 30_000;

/** How often the caller offers another ICE restart while the connection is not back. */
export const RESTART_RETRY_MS = 6_000;

/** Why a call ends when its connection cannot be verified, in the reader's language. */
export const unverified = (): string => t("call.not_verified");

/** What the link needs from its call. */
export interface LinkHost {
  readonly call: string;
  readonly direction: "in" | "out";
  /** The call's phase, when it first connected, its connection, and `expected`: the DTLS
   * fingerprint the peer named in its sealed offer or answer. */
  now(): Pick<CallSnapshot, "phase" | "connectedAt"> & {
    expected: string | null;
    pc: RTCPeerConnection | null;
  };
  timer: CallTimer;
  set(changes: Partial<CallSnapshot>): void;
  send(signal: CallSignal): Promise<boolean>;
  end(why: string, reason: CallEndReason | null): void;
}

type RestartPayload = Extract<CallPayload, { type: "call-restart" | "call-restart-answer" }>;

/** The connection state of one call, and its ICE restarts. */
export class CallLink {
  #host: LinkHost;
  /** The number of the newest restart offered (caller) or answered (callee). */
  #restart = 0;
  #retry: ReturnType<typeof setInterval> | undefined;
  /** Restart steps run one at a time, in order. */
  #queue: Promise<void> = Promise.resolve();

  constructor(host: LinkHost) {
    this.#host = host;
  }

  /** How many ICE restarts this side has offered or answered. */
  get restarts(): number {
    return this.#restart;
  }

  /** Follows the connection's state. */
  changed(state: RTCPeerConnectionState): void {
    const { phase } = this.#host.now();
    if (phase === "ended") return;
    if (state === "connected") {
      if (phase === "connecting" || phase === "reconnecting") this.#verify();
    } else if (state === "disconnected" || state === "failed") {
      if (phase === "connected" || phase === "reconnecting") this.#lost();
      else if (phase === "connecting" && state === "failed") {
        this.#host.end(endText("failed"), "failed");
      }
    } else if (state === "closed") {
      this.#host.end(t("call.connection_lost"), "failed");
    }
  }

  /** A restart offer or answer from the peer. */
  received(p: RestartPayload): void {
    const { direction } = this.#host;
    const { phase } = this.#host.now();
    if (phase !== "connected" && phase !== "reconnecting") return;
    if (p.type === "call-restart" && direction === "in" && p.n > this.#restart) {
      this.#restart = p.n;
      this.#run(() => this.#answer(p));
    } else if (p.type === "call-restart-answer" && direction === "out" && p.n === this.#restart) {
      this.#run(() => this.#accept(p));
    }
  }

  /** Stops offering restarts (the call ended). */
  stop(): void {
    clearInterval(this.#retry);
    this.#retry = undefined;
  }

  #lost(): void {
    if (this.#host.now().phase === "connected") {
      this.#host.set({ phase: "reconnecting" });
      this.#host.timer.arm(RECONNECT_MS, () => {
        this.#host.end(t("call.connection_not_restored"), "failed");
      });
    }
    if (this.#host.direction !== "out" || this.#retry !== undefined) return;
    this.#run(() => this.#offer());
    this.#retry = setInterval(() => this.#run(() => this.#offer()), RESTART_RETRY_MS);
  }

  /** Ends the call unless the negotiated fingerprint is the one sent in the session. */
  async #verify(): Promise<void> {
    const { pc, expected } = this.#host.now();
    if (pc === null || expected === null) return;
    if (!await verifyPeer(pc, expected)) return this.#host.end(unverified(), "security");
    const { phase, connectedAt } = this.#host.now();
    if (phase === "ended" || pc.connectionState !== "connected") return;
    this.stop();
    this.#host.timer.clear();
    this.#host.set({ phase: "connected", connectedAt: connectedAt ?? Date.now() });
  }

  async #offer(): Promise<void> {
    const { pc, phase } = this.#host.now();
    if (pc === null || phase !== "reconnecting") return;
    const n = ++this.#restart;
    await pc.setLocalDescription(await pc.createOffer({ iceRestart: true }));
    await this.#host.send({
      type: "call-restart",
      call: this.#host.call,
      n,
      sdp: pc.localDescription!.sdp,
    });
  }

  async #answer(p: RestartPayload): Promise<void> {
    const { pc } = this.#host.now();
    if (pc === null || !this.#sameEndpoint(p.sdp) || p.n !== this.#restart) return;
    await pc.setRemoteDescription({ type: "offer", sdp: p.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await this.#host.send({
      type: "call-restart-answer",
      call: this.#host.call,
      n: p.n,
      sdp: pc.localDescription!.sdp,
    });
  }

  async #accept(p: RestartPayload): Promise<void> {
    const { pc } = this.#host.now();
    if (pc === null || pc.signalingState !== "have-local-offer") return;
    if (!this.#sameEndpoint(p.sdp) || p.n !== this.#restart) return;
    await pc.setRemoteDescription({ type: "answer", sdp: p.sdp });
  }

  /** Whether a restart's SDP names the DTLS fingerprint of the call; ends the call if not. */
  #sameEndpoint(sdp: string): boolean {
    let fingerprint: string | null = null;
    try {
      fingerprint = sdpFingerprint(sdp);
    } catch {
      // No single fingerprint: not the same endpoint.
    }
    if (fingerprint !== null && fingerprint === this.#host.now().expected) return true;
    this.#host.end(unverified(), "security");
    return false;
  }

  #run(step: () => Promise<void>): void {
    this.#queue = this.#queue.then(step).catch(() => {
      // A restart that fails (say, the connection closed meanwhile) is
      // retried, or the call ends within RECONNECT_MS.
    });
  }
}
