import assert from "node:assert/strict";
import { LivenessSweep } from "./relay_liveness.ts";
import { RelayRoom } from "./relay_room.ts";
import { RelaySocket } from "./relay_socket.ts";
import { hangingSocket } from "../../tests/fixtures/hanging_socket.ts";

const ID = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";

Deno.test("a socket is pinged once per silence: again only after it was heard from", () => {
  const socket = new RelaySocket(hangingSocket(), { sendPerSecond: 100 });
  const start = socket.heardAt;
  assert.equal(socket.ping(start + 500), true);
  assert.equal(socket.ping(start + 600), false, "no frame since the last ping");
  assert.equal(socket.takeFrame(15, start + 700), null);
  assert.equal(socket.heardAt, start + 700);
  assert.equal(socket.ping(start + 1200), true);
  // A pong in the very millisecond of its ping counts as heard since.
  assert.equal(socket.takeFrame(15, start + 1200), null);
  assert.equal(socket.ping(start + 1700), true);
  assert.equal(socket.release(), true);
});

Deno.test("the liveness sweep hands over authenticated sockets silent for the idle time, and no others", () => {
  const room = new RelayRoom(
    { id: ID, expiresAt: new Date(Date.now() + 3600_000).toISOString(), participants: [] } as never,
    true,
  );
  const quiet = new RelaySocket(hangingSocket(), { sendPerSecond: 100 });
  const talking = new RelaySocket(hangingSocket(), { sendPerSecond: 100 });
  const unauthenticated = new RelaySocket(hangingSocket(), { sendPerSecond: 100 });
  const released = new RelaySocket(hangingSocket(), { sendPerSecond: 100 });
  quiet.admit(ID);
  talking.admit(ID);
  released.admit(ID);
  released.release();
  for (const socket of [quiet, talking, unauthenticated, released]) room.sockets.add(socket);
  const silent: RelaySocket[] = [];
  const sweep = new LivenessSweep({
    idleTimeoutMs: 1000,
    rooms: () => [room],
    onSilent: (_room, socket) => silent.push(socket),
  });
  assert.equal(sweep.intervalMs, 167);
  // Both last heard at the same moment.
  const start = Date.now() + 10;
  quiet.takeFrame(15, start);
  talking.takeFrame(15, start);
  sweep.sweep(start + 999, 999);
  assert.deepEqual(silent, []);
  // The pings of this sweep were due, so none is due again before a frame.
  assert.equal(quiet.ping(start + 999), false);
  talking.takeFrame(15, start + 999);
  sweep.sweep(start + 1100, 1100);
  assert.deepEqual(silent, [quiet]);
  sweep.sweep(start + 3000, 3000);
  assert.deepEqual(silent, [quiet, quiet, talking], "the hub releases what it is handed");
  for (const socket of [quiet, talking, unauthenticated]) socket.release();
});

Deno.test("a step of the wall clock closes nobody at once: the sweep counts every socket as heard at the step", () => {
  const room = new RelayRoom(
    { id: ID, expiresAt: new Date(Date.now() + 3600_000).toISOString(), participants: [] } as never,
    true,
  );
  const socket = new RelaySocket(hangingSocket(), { sendPerSecond: 100 });
  socket.admit(ID);
  room.sockets.add(socket);
  const silent: RelaySocket[] = [];
  const sweep = new LivenessSweep({
    idleTimeoutMs: 1000,
    rooms: () => [room],
    onSilent: (_room, s) => silent.push(s),
  });
  const wall = socket.heardAt;
  sweep.sweep(wall + 100, 0);
  // An hour passes on the wall clock in 167 ms of monotonic time: a step, not silence.
  sweep.sweep(wall + 3600_000, 167);
  assert.deepEqual(silent, []);
  sweep.sweep(wall + 3600_000 + 600, 767);
  assert.deepEqual(silent, [], "pinged, not yet closed");
  assert.equal(socket.ping(wall + 3600_000 + 700), false, "the ping went out in that sweep");
  sweep.sweep(wall + 3600_000 + 1000, 1167);
  assert.deepEqual(silent, [socket], "silent for the idle time since the step");
  // A step back: the socket counts as heard now, never as silent for ages.
  const back = new RelaySocket(hangingSocket(), { sendPerSecond: 100 });
  back.admit(ID);
  back.takeFrame(15, wall + 5000);
  room.sockets.clear();
  room.sockets.add(back);
  silent.length = 0;
  sweep.sweep(wall + 2000, 1334);
  assert.deepEqual(silent, []);
  socket.release();
  back.release();
});
