import assert from "node:assert/strict";
import { RelaySocket } from "./relay_socket.ts";
import { hangingSocket } from "../../tests/fixtures/hanging_socket.ts";

Deno.test("an authenticated socket drops its challenge nonce and its deadline", async () => {
  const socket = new RelaySocket(hangingSocket(), { sendPerSecond: 1 });
  assert.equal(socket.nonce?.length, 32);
  let expired = false;
  socket.startDeadline(20, () => expired = true);
  socket.admit("01JD3Q8Z5V4T6N2M8K0P9R7S1A");
  assert.equal(socket.nonce, null);
  assert.equal(socket.participantId, "01JD3Q8Z5V4T6N2M8K0P9R7S1A");
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(expired, false);
  assert.equal(socket.release(), true);
});

Deno.test("a socket's frames are paced by count and by bytes, two seconds' worth of bytes at once", () => {
  const socket = new RelaySocket(hangingSocket(), { sendPerSecond: 100, sendBytesPerSecond: 1000 });
  assert.equal(socket.takeFrame(1500), null);
  assert.equal(socket.takeFrame(400), null);
  // 1900 of the 2000-byte burst are spent: a 200-byte frame is too much, a 100-byte one is not.
  assert.equal(socket.takeFrame(200), "bytes");
  assert.equal(socket.takeFrame(100), null);
  assert.equal(socket.release(), true);
});

Deno.test("a socket sending more frames than its rate is told so before its bytes count", () => {
  const socket = new RelaySocket(hangingSocket(), { sendPerSecond: 1, sendBytesPerSecond: 1000 });
  for (let i = 0; i < 10; i++) assert.equal(socket.takeFrame(1), null);
  assert.equal(socket.takeFrame(1), "frames");
  assert.equal(socket.release(), true);
});

Deno.test("a socket's two buckets refill from the one clock reading it is given, none from a clock gone back", () => {
  const socket = new RelaySocket(hangingSocket(), { sendPerSecond: 1, sendBytesPerSecond: 100 });
  const start = Date.now();
  for (let i = 0; i < 10; i++) assert.equal(socket.takeFrame(1, start), null);
  assert.equal(socket.takeFrame(1, start), "frames");
  // A clock that went back refills nothing; a second after it, one frame and 100 bytes.
  const back = start - 60_000;
  assert.equal(socket.takeFrame(1, back), "frames");
  assert.equal(socket.takeFrame(1, back + 1000), null);
  assert.equal(socket.takeFrame(1, back + 1000), "frames");
  // A refused frame takes nothing: the 200-byte burst is whole once a frame is there.
  assert.equal(socket.takeFrame(200, back + 2000), null);
  assert.equal(socket.takeFrame(0, back + 2000), "frames");
  assert.equal(socket.release(), true);
});
