/**
 * Frame encryption for a call, wired into the media pipeline with the
 * encoded-transform API the browser has, in this order:
 *
 * 1. `RTCRtpScriptTransform` (the standard: Firefox, Safari, recent
 *    Chromium): the frames are sealed and opened in a worker
 *    (`call_frames_worker.ts`, served as `call_frames_worker.js` beside the
 *    islands, so `worker-src`, which falls back to `script-src 'self'`,
 *    allows it);
 * 2. Chromium's `createEncodedStreams()` (with `encodedInsertableStreams:
 *    true` in the `RTCPeerConnection` config), in the page;
 * 3. neither: frames go as they are, protected by DTLS-SRTP alone, and the
 *    call says so. The same holds when the peer's browser has neither.
 *
 * Each outgoing audio and video frame is sealed with this side's key, each
 * incoming one opened with the peer's (see `lib/crypto/frame_crypto.ts`); a
 * frame that does not open is dropped, never rendered. Audio and video are
 * two streams under one key, each with its own nonces, so a call has at most
 * one sender of each kind: a second is refused, since its counter would start
 * again at 0. Both ways make the same sealed frames, so two browsers on
 * different ways talk.
 *
 * @module
 */
import {
  type FrameKind,
  FrameOpener,
  FrameSealer,
  importFrameKey,
} from "../crypto/frame_crypto.ts";
import { type EncodedFrame, openFrames, sealFrames } from "./call_frame_transform.ts";
import type { FrameTransformOptions } from "./call_frames_worker.ts";

/** The encoded-streams half of a sender or receiver. */
interface EncodedStreams {
  readable: ReadableStream<EncodedFrame>;
  writable: WritableStream<EncodedFrame>;
}

type WithEncodedStreams = { createEncodedStreams(): EncodedStreams };
type WithTransform = { transform: unknown };
type ScriptTransformClass = new (
  worker: Worker,
  options: FrameTransformOptions,
  transfer?: Transferable[],
) => unknown;

/** Which encoded-transform API this browser offers: "script", "streams" or null (none). */
export function frameApi(): "script" | "streams" | null {
  const scope = globalThis as unknown as { RTCRtpScriptTransform?: unknown };
  if (typeof scope.RTCRtpScriptTransform === "function" && typeof Worker === "function") {
    return "script";
  }
  if (
    typeof RTCRtpSender !== "undefined" &&
    typeof (RTCRtpSender.prototype as unknown as Partial<WithEncodedStreams>)
        .createEncodedStreams === "function"
  ) return "streams";
  return null;
}

/** Whether this browser can encrypt call frames end to end. */
export function framesSupported(): boolean {
  return frameApi() !== null;
}

/** Where the worker of `RTCRtpScriptTransform` is served: beside this bundle. */
const WORKER_URL = "./call_frames_worker.js";

/** The frame keys of one call and the transforms that use them. */
export class CallFrames {
  #ownKey: Uint8Array<ArrayBuffer>;
  #peerKey: Uint8Array<ArrayBuffer> | null = null;
  #imported: Promise<CryptoKey>;
  #peerImported: Promise<CryptoKey> | null = null;
  /** The kinds that have a sender: each may have one (its nonces are its own). */
  #sending = new Set<FrameKind>();
  #enabled = false;
  #worker: Worker | null = null;
  /** Receivers' script transforms waiting until frames are enabled. */
  #pending: (() => void)[] = [];
  /** Where the senders' script transforms learn that frames are enabled. */
  #ports: MessagePort[] = [];
  /** Incoming frames dropped (in the page) because they did not open. */
  dropped = 0;

  /** `ownKey`: this side's fresh random key for the frames it sends. */
  constructor(ownKey: Uint8Array<ArrayBuffer>) {
    this.#ownKey = ownKey;
    this.#imported = importFrameKey(ownKey);
  }

  /**
   * Starts the worker where frames are sealed in one, and resolves once it
   * runs: only then may transforms be set (see `call_frames_worker.ts`).
   * Throws when it cannot start.
   */
  async start(): Promise<void> {
    if (frameApi() !== "script" || this.#worker !== null) return;
    const worker = new Worker(new URL(WORKER_URL, import.meta.url), {
      type: "module",
      name: "call frames",
    });
    this.#worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = () => reject(new Error("the frame encryption worker did not start"));
    });
  }

  /** Whether frames are sealed: set once both sides said they can. */
  get enabled(): boolean {
    return this.#enabled;
  }

  set enabled(on: boolean) {
    this.#enabled = on;
    if (!on) return;
    for (const install of this.#pending.splice(0)) install();
    for (const port of this.#ports) port.postMessage(true);
  }

  /** Sets the key the peer seals its frames with. */
  setPeerKey(raw: Uint8Array<ArrayBuffer>): void {
    this.#peerKey = raw;
    this.#peerImported = importFrameKey(raw);
  }

  /**
   * Seals what `sender` sends, once and while {@linkcode enabled}. Throws for
   * a second sender of the same kind: its frames would repeat nonces.
   */
  attachSender(sender: RTCRtpSender, kind: FrameKind): void {
    if (this.#sending.has(kind)) {
      throw new Error(`Cannot seal call frames: this call already has a ${kind} sender`);
    }
    this.#sending.add(kind);
    if (frameApi() === "script") {
      // Set now: Chromium ignores a sender transform set after the offer.
      const { port1, port2 } = new MessageChannel();
      this.#ports.push(port1);
      this.#install(sender, { side: "send", kind, key: this.#ownKey, port: port2 }, [port2]);
      if (this.#enabled) port1.postMessage(true);
      return;
    }
    const streams = (sender as unknown as WithEncodedStreams).createEncodedStreams();
    const sealer = this.#imported.then((key) => new FrameSealer(key, kind));
    this.#pipe(streams, sealFrames(sealer, kind, () => this.#enabled));
  }

  /** Opens what `receiver` receives, once and while {@linkcode enabled}; drops what does not open. */
  attachReceiver(receiver: RTCRtpReceiver): void {
    const kind = receiver.track.kind as FrameKind;
    if (frameApi() === "script") {
      // The peer's key is known before its frames can arrive (see `call_session.ts`).
      const key = this.#peerKey ?? crypto.getRandomValues(new Uint8Array(32));
      const install = () => this.#install(receiver, { side: "receive", kind, key });
      if (this.#enabled) install();
      else this.#pending.push(install);
      return;
    }
    const streams = (receiver as unknown as WithEncodedStreams).createEncodedStreams();
    // One opener per receiver and peer key: each stream keeps its own replay window.
    let opener: Promise<FrameOpener> | null = null;
    let from: Promise<CryptoKey> | null = null;
    const current = () => {
      if (from !== this.#peerImported) {
        from = this.#peerImported;
        opener = from?.then((key) => new FrameOpener(key, kind)) ?? null;
      }
      return opener;
    };
    this.#pipe(streams, openFrames(current, () => this.dropped++, () => this.#enabled));
  }

  /** Ends the worker, if any, with the call. */
  close(): void {
    for (const port of this.#ports) port.close();
    this.#worker?.terminate();
    this.#worker = null;
  }

  /** Puts a script transform on `target`, run by this call's worker. */
  #install(
    target: RTCRtpSender | RTCRtpReceiver,
    options: FrameTransformOptions,
    transfer: Transferable[] = [],
  ): void {
    const Transform = (globalThis as unknown as { RTCRtpScriptTransform: ScriptTransformClass })
      .RTCRtpScriptTransform;
    if (this.#worker === null) {
      throw new Error("Cannot seal call frames: the worker is not started");
    }
    (target as unknown as WithTransform).transform = new Transform(this.#worker, options, transfer);
  }

  #pipe(streams: EncodedStreams, through: TransformStream<EncodedFrame, EncodedFrame>) {
    streams.readable.pipeThrough(through).pipeTo(streams.writable).catch(() => {});
  }
}
