import assert from "node:assert/strict";
import { AddressSockets } from "./address_sockets.ts";
import { HttpError } from "./http_error.ts";

Deno.test("AddressSockets refuses one socket past the cap with 429 too_many_sockets", () => {
  const sockets = new AddressSockets(2);
  sockets.open("203.0.113.7");
  sockets.open("203.0.113.7");
  assert.throws(() => sockets.open("203.0.113.7"), (error: unknown) => {
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, 429);
    assert.equal(error.code, "too_many_sockets");
    assert.equal(error.message, "Too many sockets: one address may hold at most 2 at once");
    return true;
  });
  // Another address has its own count.
  sockets.open("198.51.100.1");
  assert.equal(sockets.count("198.51.100.1"), 1);
});

Deno.test("AddressSockets frees a place on release, once, and forgets an address with none", () => {
  const sockets = new AddressSockets(1);
  const release = sockets.open("203.0.113.7");
  assert.equal(sockets.size, 1);
  release();
  release();
  assert.equal(sockets.count("203.0.113.7"), 0);
  assert.equal(sockets.size, 0, "no address is kept without a socket");
  const again = sockets.open("203.0.113.7");
  const other = sockets.open("198.51.100.1");
  release(); // a stale release must not free the new socket's place
  assert.throws(() => sockets.open("203.0.113.7"), HttpError);
  again();
  other();
  assert.equal(sockets.size, 0);
});
