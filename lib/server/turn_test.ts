import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readTurn, TURN_CREDENTIAL_SECONDS, turnCredentials } from "./turn.ts";

const SECRET = "a-test-secret-of-some-length";

Deno.test("TURN credentials follow coturn's use-auth-secret scheme (known answer)", async () => {
  const turn = { urls: ["turn:127.0.0.1:3478?transport=udp"], secret: SECRET };
  const now = 1_767_225_600_000;
  const creds = await turnCredentials(turn, now, new Uint8Array(12));
  const expiry = now / 1000 + TURN_CREDENTIAL_SECONDS;
  assert.equal(creds.username, `${expiry}:AAAAAAAAAAAAAAAA`);
  const expected = createHmac("sha1", SECRET).update(creds.username).digest("base64");
  assert.equal(creds.credential, expected);
  assert.deepEqual(creds.urls, turn.urls);
  // Fresh random part each time: two sockets never share a username.
  const a = await turnCredentials(turn, now);
  const b = await turnCredentials(turn, now);
  assert.notEqual(a.username, b.username);
});

Deno.test("TURN settings need both variables, valid turn: URLs and a long secret", () => {
  assert.equal(readTurn({}), null);
  assert.deepEqual(
    readTurn({
      TURN_URLS: "turn:t.example:3478, turns:t.example:5349?transport=tcp",
      TURN_SECRET: SECRET,
    }),
    { urls: ["turn:t.example:3478", "turns:t.example:5349?transport=tcp"], secret: SECRET },
  );
  assert.throws(() => readTurn({ TURN_URLS: "turn:t.example" }), /both TURN_URLS and TURN_SECRET/);
  assert.throws(() => readTurn({ TURN_SECRET: SECRET }), /both TURN_URLS and TURN_SECRET/);
  for (const url of ["http://t.example", "stun:t.example", "turn:t.example?x=1", "turn:a b"]) {
    assert.throws(() => readTurn({ TURN_URLS: url, TURN_SECRET: SECRET }), /Invalid TURN_URLS/);
  }
  assert.throws(
    () => readTurn({ TURN_URLS: "turn:t.example", TURN_SECRET: "short" }),
    /TURN_SECRET/,
  );
});
