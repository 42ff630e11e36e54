/**
 * One audio or video call: the `RTCPeerConnection`, its signalling through
 * the session (`calls.ts`), the frame keys (`call_frames.ts`) and the check
 * of the negotiated DTLS fingerprint (`call_fingerprint.ts`). The chat page
 * loads this module only when a call starts or rings.
 *
 * Its phases are `CallPhase`'s (`call_state.ts`). The camera and microphone
 * are asked for only when the person places or accepts a call; the callee's
 * browser does nothing with the network until its person accepts.
 *
 * @module
 */
import { encodeBase64Url } from "../crypto/encoding.ts";
import {
  CALL_ID_BYTES,
  CALL_KEY_BYTES,
  type CallEndReason,
  type CallMedia,
  type CallPayload,
} from "../crypto/payload_call.ts";
import { sdpFingerprint } from "../crypto/sdp_fingerprint.ts";
import type { CallRoute, Calls } from "./calls.ts";
import { CallFrames } from "./call_frames.ts";
import { CallIce } from "./call_ice.ts";
import { t } from "../i18n/i18n.ts";
import { CallLink } from "./call_link.ts";
import { type OfferHost, openMedia, sendAnswer, sendOffer, takePeerKey } from "./call_offer.ts";
import { enableTracks } from "./call_media.ts";
import { openPeer } from "./call_peer.ts";
import {
  type CallRecord,
  type CallSnapshot,
  CallTimer,
  CONNECT_MS,
  endText,
  newSnapshot,
  peerEnded,
  recordText,
  startFailure,
} from "./call_state.ts";

export type { CallPhase, CallSnapshot } from "./call_state.ts";

/** One call, placed here or ringing here. */
export class CallSession {
  #calls: Calls;
  #route: CallRoute;
  #onChange: () => void;
  #call: string;
  #stopListening: () => void = () => {};
  #pc: RTCPeerConnection | null = null;
  #frames: CallFrames;
  #expected: string | null = null;
  /** Sends this side's candidates while the call lasts. */
  #ice = new CallIce((candidates) =>
    this.#snapshot.phase !== "ended" &&
    void this.#calls.send({ type: "call-ice", call: this.#call, candidates })
  );
  #timer = new CallTimer();
  #offer: Extract<CallPayload, { type: "call-offer" }> | null = null;
  #snapshot: CallSnapshot;
  #link: CallLink;
  #host: OfferHost;
  /** Leaving the page hangs up, so the other side is told at once. */
  #onPageHide = () => this.hangUp();

  private constructor(
    calls: Calls,
    route: CallRoute,
    onChange: () => void,
    init: Pick<CallSnapshot, "direction" | "media" | "phase"> & { call: string },
  ) {
    this.#calls = calls;
    this.#route = route;
    this.#onChange = onChange;
    this.#call = init.call;
    const ownKey = crypto.getRandomValues(new Uint8Array(CALL_KEY_BYTES));
    this.#frames = new CallFrames(ownKey);
    this.#host = { call: init.call, calls, frames: this.#frames, ownKey };
    globalThis.addEventListener?.("pagehide", this.#onPageHide);
    this.#snapshot = newSnapshot(init);
    this.#link = new CallLink({
      call: init.call,
      direction: init.direction,
      now: () => ({ ...this.#snapshot, expected: this.#expected, pc: this.#pc }),
      timer: this.#timer,
      set: (changes) => this.#set(changes),
      send: (signal) => this.#calls.send(signal),
      end: (why, reason) => this.#end(why, reason),
    });
  }

  /** What the panel shows now. */
  get snapshot(): CallSnapshot {
    return this.#snapshot;
  }

  /** Places a call; throws when one cannot start now (see `Calls.whyNot`). */
  static async place(
    calls: Calls,
    media: CallMedia,
    route: CallRoute,
    onChange: () => void,
  ): Promise<CallSession> {
    const why = calls.whyNot();
    if (why !== null) throw new Error(`Cannot start call: ${why}`);
    const call = encodeBase64Url(crypto.getRandomValues(new Uint8Array(CALL_ID_BYTES)));
    const session = new CallSession(calls, route, onChange, {
      call,
      media,
      direction: "out",
      phase: "calling",
    });
    session.#stopListening = calls.listen((p) => session.#receive(p)).stop;
    await session.#start();
    return session;
  }

  /** Takes over the call ringing here, or returns null when none does. */
  static receive(calls: Calls, route: CallRoute, onChange: () => void): CallSession | null {
    let session: CallSession | null = null;
    const held: CallPayload[] = [];
    const { incoming, stop } = calls.listen((p) => session ? session.#receive(p) : held.push(p));
    if (incoming === null) {
      stop();
      return null;
    }
    const { offer } = incoming;
    session = new CallSession(calls, route, onChange, {
      call: offer.call,
      media: offer.media,
      direction: "in",
      phase: "ringing",
    });
    session.#stopListening = stop;
    session.#offer = offer;
    for (const p of [...incoming.ice, ...held]) session.#receive(p);
    session.#timer.arm(
      calls.ringMs,
      () => session.#end(t("call.end_missed"), null, ["missed", "in"]),
    );
    return session;
  }

  /** Accepts the ringing call: asks for the camera or microphone, then answers. */
  async accept(): Promise<void> {
    const offer = this.#offer;
    if (this.#snapshot.direction !== "in" || this.#snapshot.phase !== "ringing" || !offer) return;
    this.#offer = null;
    this.#timer.clear();
    this.#set({ phase: "connecting" });
    try {
      this.#expected = sdpFingerprint(offer.sdp);
      const pc = await this.#open();
      const protection = takePeerKey(this.#frames, offer);
      const sent = await sendAnswer(this.#host, pc, offer, this.#snapshot.local!);
      await this.#ice.apply(pc);
      if (!sent) return this.#end(t("call.answer_not_sent"), null);
      this.#ice.start();
      this.#set({ protection });
      this.#timer.arm(CONNECT_MS, () => this.#end(endText("failed"), "failed"));
    } catch (error) {
      this.#end(startFailure(error), "failed");
    }
  }

  /** Declines the ringing call; it is kept as a declined call in this browser. */
  decline(): void {
    if (this.#snapshot.direction !== "in" || this.#snapshot.phase !== "ringing") return;
    this.#calls.send({ type: "call-decline", call: this.#call });
    this.#end(t("call.you_declined"), null, ["you_declined", "in"]);
  }

  /** Hangs up (or cancels a call not yet answered). */
  hangUp(): void {
    const { phase, direction } = this.#snapshot;
    if (phase === "ended") return;
    if (direction === "in" && phase === "ringing") return this.decline();
    const early = phase === "calling" || phase === "ringing";
    this.#end(
      early ? t("call.you_cancelled") : t("call.you_hung_up"),
      early ? "cancelled" : "hangup",
    );
  }

  /** Mutes or unmutes the microphone. */
  setMuted(muted: boolean): void {
    this.#set({ muted, local: enableTracks(this.#snapshot.local, "audio", !muted) });
  }

  /** Turns the camera off or on. */
  setCameraOff(cameraOff: boolean): void {
    this.#set({ cameraOff, local: enableTracks(this.#snapshot.local, "video", !cameraOff) });
  }

  async #start(): Promise<void> {
    try {
      const pc = await this.#open();
      const sent = await sendOffer(this.#host, pc, this.#snapshot.local!, this.#snapshot.media);
      if (!sent) return this.#end(t("call.not_placed"), null);
      this.#ice.start();
      this.#timer.arm(
        this.#calls.ringMs,
        () => this.#end(t("call.no_answer"), "missed", ["not_answered", "out"]),
      );
    } catch (error) {
      this.#end(startFailure(error), null);
    }
  }

  /** Opens the camera or microphone and the peer connection. */
  async #open(): Promise<RTCPeerConnection> {
    const ended = () => this.#snapshot.phase === "ended";
    const local = await openMedia(this.#frames, this.#snapshot.media, ended);
    this.#set({ local });
    this.#pc = openPeer(this.#route, this.#frames, {
      candidate: (candidate) => this.#ice.gathered(candidate),
      track: (track) => {
        const remote = this.#snapshot.remote ?? new MediaStream();
        remote.addTrack(track);
        this.#set({ remote });
      },
      state: (state) => this.#link.changed(state),
    });
    return this.#pc;
  }

  #receive(p: CallPayload): void {
    const { phase, direction } = this.#snapshot;
    if (p.call !== this.#call) {
      if (p.type === "call-offer") {
        this.#calls.send({ type: "call-end", call: p.call, reason: "busy" });
      }
      return;
    }
    if (phase === "ended") return;
    if (p.type === "call-ring" && direction === "out" && phase === "calling") {
      this.#set({ phase: "ringing" });
    } else if (p.type === "call-answer" && direction === "out" && this.#expected === null) {
      this.#onAnswer(p);
    } else if (p.type === "call-ice") {
      this.#ice.received(this.#pc, p.candidates);
    } else if (p.type === "call-restart" || p.type === "call-restart-answer") {
      this.#link.received(p);
    } else if (p.type === "call-decline" && direction === "out") {
      this.#end(t("call.peer_declined"), null, ["declined", "out"]);
    } else if (p.type === "call-end") {
      const { why, record } = peerEnded(p.reason, direction === "in" && phase === "ringing");
      this.#end(why, null, record);
    }
  }

  async #onAnswer(answer: Extract<CallPayload, { type: "call-answer" }>): Promise<void> {
    const pc = this.#pc;
    if (pc === null) return;
    this.#timer.clear();
    this.#set({ phase: "connecting" });
    try {
      this.#expected = sdpFingerprint(answer.sdp);
      const protection = takePeerKey(this.#frames, answer);
      await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
      await this.#ice.apply(pc);
      this.#set({ protection });
      this.#timer.arm(CONNECT_MS, () => this.#end(endText("failed"), "failed"));
    } catch {
      this.#end(t("call.answer_not_valid"), "failed");
    }
  }

  #set(changes: Partial<CallSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...changes };
    this.#onChange();
  }

  /**
   * Ends the call once: tells the peer `reason` (if any), keeps `record`
   * (what happened, and which way) in this browser's history.
   */
  #end(why: string, reason: CallEndReason | null, record?: [CallRecord, "in" | "out"]): void {
    if (this.#snapshot.phase === "ended") return;
    this.#timer.clear();
    this.#link.stop();
    globalThis.removeEventListener?.("pagehide", this.#onPageHide);
    if (reason !== null) this.#calls.send({ type: "call-end", call: this.#call, reason });
    this.#stopListening();
    for (const track of this.#snapshot.local?.getTracks() ?? []) track.stop();
    this.#pc?.close();
    this.#frames.close();
    if (record) {
      this.#calls.record(recordText(record[0], this.#snapshot.media), record[1]).catch(
        () => {},
      );
    }
    this.#set({ phase: "ended", why });
  }
}
