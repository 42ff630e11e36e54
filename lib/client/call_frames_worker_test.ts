import assert from "node:assert/strict";
import { FRAME_OVERHEAD } from "../crypto/frame_crypto.ts";
import type { EncodedFrame } from "./call_frame_transform.ts";
import { runTransform } from "./call_frames_worker.ts";

const KEY = new Uint8Array(32).map((_, i) => i);
const OTHER_KEY = new Uint8Array(32).fill(7);

/** A VP8 key frame and an Opus frame, as an encoded transform gets them. */
function frames(): EncodedFrame[] {
  const video = new Uint8Array(200).map((_, i) => (i * 31) & 0xff);
  const audio = new Uint8Array(60).map((_, i) => (i * 17) & 0xff);
  return [{ data: video.buffer, type: "key" }, { data: audio.buffer }];
}

/**
 * Runs the worker's transform for `options` over `input` as the browser
 * would (a readable of frames in, a writable out) and returns what came out.
 */
async function through(
  options: Parameters<typeof runTransform>[0]["options"],
  input: EncodedFrame[],
  beforeFrames?: () => Promise<void>,
): Promise<EncodedFrame[]> {
  const out: EncodedFrame[] = [];
  const source = new TransformStream<EncodedFrame, EncodedFrame>();
  const running = runTransform({
    options,
    readable: source.readable,
    writable: new WritableStream({ write: (frame) => void out.push(frame) }),
  });
  await beforeFrames?.();
  const writer = source.writable.getWriter();
  for (const frame of input) await writer.write({ ...frame, data: frame.data.slice(0) });
  await writer.close();
  await running;
  return out;
}

/** A sender's options, with the port the page turns sealing on through. */
function sender(kind: "audio" | "video", key = KEY) {
  const { port1, port2 } = new MessageChannel();
  return {
    options: { side: "send" as const, kind, key, port: port2 },
    on: async () => {
      // The transform's own handler was set first, so it has run once this one runs.
      const arrived = new Promise((resolve) =>
        port2.addEventListener("message", resolve, { once: true })
      );
      port1.postMessage(true);
      await arrived;
    },
    close: () => {
      port1.close();
      port2.close();
    },
  };
}

Deno.test("the worker's transform passes a sender's frames as they are until the page turns sealing on", async () => {
  const video = sender("video");
  const out = await through(video.options, frames());
  video.close();
  assert.deepEqual(
    out.map((f) => new Uint8Array(f.data)),
    frames().map((f) => new Uint8Array(f.data)),
  );
});

Deno.test("frames sealed by the worker's send transform open in its receive transform, byte for byte", async () => {
  const video = sender("video");
  const sealed = await through(video.options, frames(), video.on);
  video.close();
  assert.equal(sealed.length, 2);
  const [key, opus] = frames();
  // The clear header stays for the packetizer: 10 bytes of a VP8 key frame, 1 of Opus.
  assert.equal(sealed[0].data.byteLength, key.data.byteLength + FRAME_OVERHEAD);
  assert.deepEqual(new Uint8Array(sealed[0].data, 0, 10), new Uint8Array(key.data, 0, 10));
  assert.notDeepEqual(new Uint8Array(sealed[0].data, 10, 20), new Uint8Array(key.data, 10, 20));
  assert.equal(sealed[1].data.byteLength, opus.data.byteLength + FRAME_OVERHEAD);
  const opened = await through({ side: "receive", kind: "video", key: KEY }, sealed);
  assert.deepEqual(
    opened.map((f) => new Uint8Array(f.data)),
    frames().map((f) => new Uint8Array(f.data)),
  );
  assert.equal(opened[0].type, "key");
});

Deno.test("the worker's receive transform drops frames sealed with another key, unsealed frames and replays", async () => {
  const video = sender("video", OTHER_KEY);
  const wrong = await through(video.options, frames(), video.on);
  video.close();
  assert.deepEqual(await through({ side: "receive", kind: "video", key: KEY }, wrong), []);
  assert.deepEqual(await through({ side: "receive", kind: "video", key: KEY }, frames()), []);
  const right = sender("video");
  const sealed = await through(right.options, frames(), right.on);
  right.close();
  const twice = [...sealed, ...sealed.map((f) => ({ ...f, data: f.data.slice(0) }))];
  assert.equal((await through({ side: "receive", kind: "video", key: KEY }, twice)).length, 2);
});

Deno.test("the worker's send transform never repeats a frame counter", async () => {
  const audio = sender("audio");
  const many = Array.from({ length: 300 }, () => frames()[1]);
  const sealed = await through(audio.options, many, audio.on);
  audio.close();
  const counters = sealed.map((f) => {
    const bytes = new Uint8Array(f.data);
    return new DataView(f.data).getBigUint64(bytes.length - 9);
  });
  assert.equal(new Set(counters).size, 300);
  assert.deepEqual(counters.slice(0, 3), [0n, 1n, 2n]);
});

Deno.test("the worker's audio and video send transforms under one key never share a nonce, and each opens only on its own stream", async () => {
  const same = new Uint8Array(80).map((_, i) => i);
  const sealedBy = async (kind: "audio" | "video") => {
    const side = sender(kind);
    const out = await through(
      side.options,
      [{ data: same.buffer.slice(0), type: "delta" }],
      side.on,
    );
    side.close();
    return out;
  };
  const audio = await sealedBy("audio");
  const video = await sealedBy("video");
  // Both are frame 0 of their stream, of the same bytes, under the same key…
  const counterOf = (f: EncodedFrame) => new DataView(f.data).getBigUint64(f.data.byteLength - 9);
  assert.equal(counterOf(audio[0]), 0n);
  assert.equal(counterOf(video[0]), 0n);
  // …yet sealed under different nonces: the ciphertexts differ.
  assert.notDeepEqual(new Uint8Array(audio[0].data, 3, 40), new Uint8Array(video[0].data, 3, 40));
  assert.deepEqual(await through({ side: "receive", kind: "video", key: KEY }, audio), []);
  assert.deepEqual(await through({ side: "receive", kind: "audio", key: KEY }, video), []);
  const opened = await through({ side: "receive", kind: "audio", key: KEY }, audio);
  assert.deepEqual(new Uint8Array(opened[0].data), same);
});
