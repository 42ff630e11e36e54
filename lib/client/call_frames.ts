/**
 * Frame encryption for a call, wired into the media pipeline with Chromium's
 * encoded insertable streams (`createEncodedStreams()`, which needs
 * `encodedInsertableStreams: true` in the `RTCPeerConnection` config). Each
 * outgoing audio and video frame is sealed with this side's key, each
 * incoming one opened with the peer's (see `lib/crypto/frame_crypto.ts`); a
 * frame that does not open is dropped, never rendered.
 *
 * Where the browser lacks the API, or the peer's does, both sides send
 * frames as they are, protected by DTLS-SRTP alone, and the call says so.
 *
 * @module
 */
import { clearBytesOf, FrameOpener, FrameSealer, importFrameKey } from "../crypto/frame_crypto.ts";

/** An encoded audio or video frame, as the transform sees it. */
interface EncodedFrame {
  data: ArrayBuffer;
  type?: string;
}

/** The encoded-streams half of a sender or receiver. */
interface EncodedStreams {
  readable: ReadableStream<EncodedFrame>;
  writable: WritableStream<EncodedFrame>;
}

type WithEncodedStreams = { createEncodedStreams(): EncodedStreams };

/** Whether this browser can encrypt call frames end to end. */
export function framesSupported(): boolean {
  return typeof RTCRtpSender !== "undefined" &&
    typeof (RTCRtpSender.prototype as unknown as Partial<WithEncodedStreams>)
        .createEncodedStreams === "function";
}

/** The frame keys of one call and the transforms that use them. */
export class CallFrames {
  #sealer: Promise<FrameSealer>;
  #opener: Promise<FrameOpener> | null = null;
  /** Whether frames are sealed: set once both sides said they can. */
  enabled = false;
  /** Incoming frames dropped because they did not open. */
  dropped = 0;

  /** `ownKey`: this side's fresh random key for the frames it sends. */
  constructor(ownKey: Uint8Array<ArrayBuffer>) {
    this.#sealer = importFrameKey(ownKey).then((key) => new FrameSealer(key));
  }

  /** Sets the key the peer seals its frames with. */
  setPeerKey(raw: Uint8Array<ArrayBuffer>): void {
    this.#opener = importFrameKey(raw).then((key) => new FrameOpener(key));
  }

  /** Seals what `sender` sends, while {@linkcode enabled}. */
  attachSender(sender: RTCRtpSender, kind: "audio" | "video"): void {
    const streams = (sender as unknown as WithEncodedStreams).createEncodedStreams();
    this.#pipe(streams, async (frame) => {
      if (!this.enabled) return frame;
      const sealer = await this.#sealer;
      frame.data = (await sealer.seal(new Uint8Array(frame.data), clearBytesOf(kind, frame.type)))
        .buffer;
      return frame;
    });
  }

  /** Opens what `receiver` receives, while {@linkcode enabled}; drops what does not open. */
  attachReceiver(receiver: RTCRtpReceiver): void {
    const streams = (receiver as unknown as WithEncodedStreams).createEncodedStreams();
    this.#pipe(streams, async (frame) => {
      if (!this.enabled) return frame;
      const opened = this.#opener === null ? null : await (await this.#opener).open(
        new Uint8Array(frame.data),
      );
      if (opened === null) {
        this.dropped++;
        return null;
      }
      frame.data = opened.buffer;
      return frame;
    });
  }

  #pipe(streams: EncodedStreams, step: (frame: EncodedFrame) => Promise<EncodedFrame | null>) {
    streams.readable.pipeThrough(
      new TransformStream<EncodedFrame, EncodedFrame>({
        async transform(frame, controller) {
          const out = await step(frame);
          if (out !== null) controller.enqueue(out);
        },
      }),
    ).pipeTo(streams.writable).catch(() => {});
  }
}
