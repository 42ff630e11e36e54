import assert from "node:assert/strict";
import { createCipheriv } from "node:crypto";
import { Buffer } from "node:buffer";
import {
  clearBytesOf,
  FRAME_OVERHEAD,
  FRAME_STREAMS,
  FrameOpener,
  FrameSealer,
  importFrameKey,
  REPLAY_WINDOW,
} from "./frame_crypto.ts";

const RAW_KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const FRAME = new TextEncoder().encode("0123456789 a video frame's payload");

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** The same sealing done independently with Node's AES-GCM. */
function nodeSeal(
  key: Uint8Array,
  stream: number,
  counter: bigint,
  frame: Uint8Array,
  clear: number,
): string {
  const nonce = Buffer.alloc(12);
  nonce.writeUInt32BE(stream, 0);
  nonce.writeBigUInt64BE(counter, 4);
  const trailer = Buffer.alloc(9);
  trailer.writeBigUInt64BE(counter, 0);
  trailer[8] = clear;
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.concat([frame.subarray(0, clear), trailer]));
  const body = Buffer.concat([cipher.update(frame.subarray(clear)), cipher.final()]);
  return hex(Buffer.concat([frame.subarray(0, clear), body, cipher.getAuthTag(), trailer]));
}

Deno.test("sealed frames match an independent AES-256-GCM known answer, counter by counter", async () => {
  const sealer = new FrameSealer(await importFrameKey(RAW_KEY), "video");
  for (let counter = 0n; counter < 3n; counter++) {
    const sealed = await sealer.seal(FRAME, 10);
    assert.equal(hex(sealed), nodeSeal(RAW_KEY, 2, counter, FRAME, 10));
    assert.equal(sealed.length, FRAME.length + FRAME_OVERHEAD);
    assert.deepEqual(sealed.subarray(0, 10), FRAME.subarray(0, 10), "the header stays clear");
  }
  // A fixed vector, so a change to the format cannot pass unnoticed.
  const abc = new TextEncoder().encode("abc");
  const vector = "61" + "2655" + "fe83c129483ff31bc6e3d0cb0bda7637" + "0000000000000000" + "01";
  assert.equal(nodeSeal(RAW_KEY, 1, 0n, abc, 1), vector);
  const ours = await new FrameSealer(await importFrameKey(RAW_KEY), "audio").seal(abc, 1);
  assert.equal(hex(ours), vector);
});

Deno.test("a frame opens once with its key, and the counter never repeats", async () => {
  const key = await importFrameKey(RAW_KEY);
  const sealer = new FrameSealer(key, "video");
  const opener = new FrameOpener(key, "video");
  // Sealed concurrently: every frame still gets its own counter (nonce).
  const sealed = await Promise.all(Array.from({ length: 50 }, () => sealer.seal(FRAME, 3)));
  const counters = sealed.map((s) => hex(s.subarray(s.length - 9, s.length - 1)));
  assert.equal(new Set(counters).size, 50, "50 frames, 50 nonces");
  assert.equal(sealer.counter, 50n);
  for (const s of sealed) assert.deepEqual(await opener.open(s), FRAME);
  // Replayed, it is refused.
  assert.equal(await opener.open(sealed[7]), null);
  assert.equal(await opener.open(sealed[49]), null);
});

Deno.test("audio and video sealed under one key never share a nonce, and a frame moved to the other stream does not open", async () => {
  const key = await importFrameKey(RAW_KEY);
  const audio = new FrameSealer(key, "audio");
  const video = new FrameSealer(key, "video");
  assert.deepEqual(FRAME_STREAMS, { audio: 1, video: 2 });
  for (let counter = 0n; counter < 3n; counter++) {
    // The same frame at the same counter on both streams: the nonces differ.
    const a = await audio.seal(FRAME, 1);
    const v = await video.seal(FRAME, 1);
    assert.equal(hex(a), nodeSeal(RAW_KEY, 1, counter, FRAME, 1));
    assert.equal(hex(v), nodeSeal(RAW_KEY, 2, counter, FRAME, 1));
    assert.notEqual(hex(a.subarray(1, 20)), hex(v.subarray(1, 20)), "no keystream is reused");
    assert.equal(await new FrameOpener(key, "video").open(a), null, "audio into video");
    assert.equal(await new FrameOpener(key, "audio").open(v), null, "video into audio");
    assert.deepEqual(await new FrameOpener(key, "audio").open(a), FRAME);
    assert.deepEqual(await new FrameOpener(key, "video").open(v), FRAME);
  }
});

Deno.test("a tampered frame, header, counter or length is refused, and a wrong key opens nothing", async () => {
  const key = await importFrameKey(RAW_KEY);
  const sealed = await new FrameSealer(key, "video").seal(FRAME, 10);
  for (const index of [0, 9, 10, 20, sealed.length - 17, sealed.length - 9, sealed.length - 2]) {
    const tampered = sealed.slice();
    tampered[index] ^= 0x01;
    assert.equal(
      await new FrameOpener(key, "video").open(tampered),
      null,
      `a flip at byte ${index}`,
    );
  }
  const clearTooLong = sealed.slice();
  clearTooLong[sealed.length - 1] = 200;
  assert.equal(await new FrameOpener(key, "video").open(clearTooLong), null);
  assert.equal(
    await new FrameOpener(key, "video").open(sealed.subarray(0, FRAME_OVERHEAD - 1)),
    null,
  );
  const otherKey = await importFrameKey(crypto.getRandomValues(new Uint8Array(32)));
  assert.equal(await new FrameOpener(otherKey, "video").open(sealed), null, "a wrong key");
  assert.deepEqual(
    await new FrameOpener(key, "video").open(sealed),
    FRAME,
    "the original still opens",
  );
});

Deno.test("a fresh key per call and direction gives unrelated ciphertext for the same frame", async () => {
  const calls = await Promise.all(
    [0, 1, 2].map(() => importFrameKey(crypto.getRandomValues(new Uint8Array(32)))),
  );
  const firsts = await Promise.all(
    calls.map((key) => new FrameSealer(key, "video").seal(FRAME, 3)),
  );
  assert.equal(new Set(firsts.map(hex)).size, 3);
});

Deno.test("frames older than the replay window are refused", async () => {
  const key = await importFrameKey(RAW_KEY);
  const sealer = new FrameSealer(key, "audio");
  const opener = new FrameOpener(key, "audio");
  const old = await sealer.seal(FRAME, 1);
  for (let i = 0; i < REPLAY_WINDOW; i++) await sealer.seal(FRAME, 1);
  assert.ok(await opener.open(await sealer.seal(FRAME, 1)));
  assert.equal(await opener.open(old), null);
});

Deno.test("importFrameKey() refuses a key of the wrong length; clearBytesOf() follows the packetizer", async () => {
  await assert.rejects(() => importFrameKey(new Uint8Array(16)), /expected 32 bytes, got 16/);
  assert.equal(clearBytesOf("audio"), 1);
  assert.equal(clearBytesOf("video", "key"), 10);
  assert.equal(clearBytesOf("video", "delta"), 3);
});
