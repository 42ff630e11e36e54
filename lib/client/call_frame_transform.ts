/**
 * The two transforms of call frames, the same wherever they run: in the
 * page on Chromium's `createEncodedStreams()`, or in the worker that
 * `RTCRtpScriptTransform` runs them in (`call_frames_worker.ts`). Sealing
 * leaves the bytes the packetizer reads in the clear (see
 * `lib/crypto/frame_crypto.ts`); opening drops every frame that does not
 * open, so it never reaches the decoder.
 *
 * @module
 */
import {
  clearBytesOf,
  type FrameKind,
  type FrameOpener,
  type FrameSealer,
} from "../crypto/frame_crypto.ts";

/** An encoded audio or video frame, as an encoded transform sees it. */
export interface EncodedFrame {
  data: ArrayBuffer;
  /** "key", "delta" or "empty" for video; absent for audio. */
  type?: string;
}

/** Seals each frame with `sealer` while `on()` says so; passes it as it is otherwise. */
export function sealFrames(
  sealer: Promise<FrameSealer> | FrameSealer,
  kind: FrameKind,
  on: () => boolean = () => true,
): TransformStream<EncodedFrame, EncodedFrame> {
  return new TransformStream({
    async transform(frame, controller) {
      if (on()) {
        const sealed = await (await sealer).seal(
          new Uint8Array(frame.data),
          clearBytesOf(kind, frame.type),
        );
        frame.data = sealed.buffer;
      }
      controller.enqueue(frame);
    },
  });
}

/**
 * Opens each frame with `opener` while `on()` says so, and drops (counting
 * with `dropped`) every one that does not open, or all while there is no opener.
 */
export function openFrames(
  opener: () => Promise<FrameOpener> | FrameOpener | null,
  dropped: () => void,
  on: () => boolean = () => true,
): TransformStream<EncodedFrame, EncodedFrame> {
  return new TransformStream({
    async transform(frame, controller) {
      if (!on()) return controller.enqueue(frame);
      const current = opener();
      const opened = current === null ? null : await (await current).open(
        new Uint8Array(frame.data),
      );
      if (opened === null) return dropped();
      frame.data = opened.buffer;
      controller.enqueue(frame);
    },
  });
}
