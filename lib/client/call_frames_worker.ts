/**
 * The worker of `RTCRtpScriptTransform` (the standard encoded transform of
 * Firefox and Safari, and of recent Chromium): it seals or opens the frames
 * of one sender or receiver of a call, with the transforms the page uses on
 * Chromium's `createEncodedStreams()` (`call_frame_transform.ts`).
 *
 * Each transform's options say which: `{ side: "send", kind, key, port }`
 * seals with this side's frame key once the page posts `true` on `port`
 * (the sender's transform is set before the offer, when the peer's
 * support is not known yet), `{ side: "receive", kind, key }` opens with the
 * peer's; `key` is the raw 32-byte AES-GCM key. The build bundles this
 * file as `call_frames_worker.js` beside the islands, and the page starts
 * one worker per call.
 *
 * @module
 */
/// <reference lib="webworker" />
import {
  type FrameKind,
  FrameOpener,
  FrameSealer,
  importFrameKey,
} from "../crypto/frame_crypto.ts";
import { type EncodedFrame, openFrames, sealFrames } from "./call_frame_transform.ts";

/** What the page passes as the options of each `RTCRtpScriptTransform`. */
export interface FrameTransformOptions {
  side: "send" | "receive";
  kind: FrameKind;
  key: Uint8Array<ArrayBuffer>;
  /** Sending only: `true` posted here turns sealing on. */
  port?: MessagePort;
}

/** What the worker's `rtctransform` event carries: one sender's or receiver's frames. */
export interface ScriptTransformer {
  readable: ReadableStream<EncodedFrame>;
  writable: WritableStream<EncodedFrame>;
  options: FrameTransformOptions;
}

/** Pipes one transformer's frames through sealing or opening; resolves when they end. */
export async function runTransform(transformer: ScriptTransformer): Promise<void> {
  const { side, kind, key, port } = transformer.options;
  const imported = importFrameKey(key);
  let sealing = false;
  if (port) {
    // Held here while the frames flow: an unreferenced port may be collected.
    ports.add(port);
    port.onmessage = (event) => sealing = event.data === true;
  }
  const opener = imported.then((k) => new FrameOpener(k, kind));
  const through = side === "send"
    ? sealFrames(imported.then((k) => new FrameSealer(k, kind)), kind, () => sealing)
    : openFrames(() => opener, () => {});
  try {
    await transformer.readable.pipeThrough(through).pipeTo(transformer.writable);
  } finally {
    if (port) ports.delete(port);
  }
}

/** The ports of the senders' transforms that run. */
const ports = new Set<MessagePort>();

const scope = globalThis as unknown as {
  onrtctransform?: (event: { transformer: ScriptTransformer }) => void;
  postMessage?: (message: unknown) => void;
  document?: unknown;
};
// Only in a worker: a page has a document.
if (scope.document === undefined && typeof scope.postMessage === "function") {
  scope.onrtctransform = (event) => {
    runTransform(event.transformer).catch(() => {});
  };
  // A module worker may get its first transforms before it has run: the
  // page waits for this before it sets any.
  scope.postMessage("ready");
}
