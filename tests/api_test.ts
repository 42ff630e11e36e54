/**
 * The HTTP API against bad input: every mistake gets a clear 4xx with an
 * error code, and the data directory changes only through valid requests.
 */
import assert from "node:assert/strict";
import { createBundle } from "../lib/crypto/bundle.ts";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { generateIdentity } from "../lib/crypto/identity.ts";
import { deriveAccessKey, generateInviteSecret } from "../lib/crypto/invite.ts";
import { parseConversationRecord } from "../lib/protocol/conversation_record.ts";
import { snapshotDir, startTestServer, type TestServer } from "./fixtures/server.ts";

const SOME_ULID = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";
const JSON_TYPE = { "content-type": "application/json" };

async function signedBundle(secret: Uint8Array) {
  const access = await deriveAccessKey(secret);
  const identity = await generateIdentity();
  return {
    accessKey: encodeBase64Url(access.publicKey),
    bundle: await createBundle(identity, access.privateKey),
  };
}

async function create(server: TestServer, secret = generateInviteSecret()) {
  const { accessKey, bundle } = await signedBundle(secret);
  const response = await fetch(`${server.base}/api/conversations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ accessKey, bundle, lifetime: 3600 }),
  });
  assert.equal(response.status, 201);
  const body = await response.json();
  return { id: body.conversation.id as string, secret, body };
}

async function join(server: TestServer, id: string, secret: Uint8Array) {
  const { bundle } = await signedBundle(secret);
  return fetch(`${server.base}/api/conversations/${id}/participants`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ bundle }),
  });
}

/**
 * Sends a request and checks the status and error code, and that DATA_DIR stayed as it was.
 * A request with a body is sent as JSON unless it sets its own headers.
 */
async function expectError(
  server: TestServer,
  request: { path: string; method?: string; body?: BodyInit; headers?: HeadersInit },
  status: number,
  code: string,
) {
  const before = await snapshotDir(server.dataDir);
  const response = await fetch(`${server.base}${request.path}`, {
    method: request.method ?? "GET",
    body: request.body,
    headers: request.headers ?? (request.body === undefined ? undefined : JSON_TYPE),
  });
  assert.equal(response.status, status, `${request.method ?? "GET"} ${request.path}`);
  assert.match(response.headers.get("content-type") ?? "", /application\/json/);
  const body = await response.json();
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  assert.ok(body.error.message.length > 0);
  assert.deepEqual(await snapshotDir(server.dataDir), before);
}

Deno.test("POST /api/conversations stores exactly the contract record", async () => {
  await using server = await startTestServer();
  const { id, body } = await create(server);
  const files = await snapshotDir(server.dataDir);
  assert.deepEqual(Object.keys(files), [`${id}.json`]);
  const stored = JSON.parse(files[`${id}.json`]);
  assert.deepEqual(Object.keys(stored).sort(), [
    "accessKey",
    "createdAt",
    "expiresAt",
    "id",
    "modifiedAt",
    "participants",
    "version",
  ]);
  assert.deepEqual(parseConversationRecord(stored), body.conversation);
  assert.equal(stored.participants[0].id, body.participantId);
  assert.equal(Date.parse(stored.expiresAt) - Date.parse(stored.createdAt), 3600_000);

  const response = await fetch(`${server.base}/api/conversations/${id}`);
  assert.equal(response.status, 200);
  assert.deepEqual((await response.json()).conversation, stored);
});

Deno.test("joining adds a second participant and changes modifiedAt only then", async () => {
  await using server = await startTestServer();
  const { id, secret, body } = await create(server);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const response = await join(server, id, secret);
  assert.equal(response.status, 201);
  const joined = await response.json();
  assert.equal(joined.conversation.participants.length, 2);
  assert.equal(joined.conversation.participants[1].id, joined.participantId);
  assert.equal(joined.conversation.createdAt, body.conversation.createdAt);
  assert.ok(joined.conversation.modifiedAt > body.conversation.modifiedAt);
});

Deno.test("a third participant is refused with 409 conversation_full", async () => {
  await using server = await startTestServer();
  const { id, secret } = await create(server);
  assert.equal(
    (await join(server, id, secret).then(async (r) => (await r.body?.cancel(), r))).status,
    201,
  );
  const { bundle } = await signedBundle(secret);
  await expectError(
    server,
    {
      path: `/api/conversations/${id}/participants`,
      method: "POST",
      body: JSON.stringify({ bundle }),
    },
    409,
    "conversation_full",
  );
});

Deno.test("of racing joins exactly one is admitted", async () => {
  await using server = await startTestServer();
  const { id, secret } = await create(server);
  const responses = await Promise.all(
    Array.from({ length: 8 }, () => join(server, id, secret)),
  );
  const statuses = await Promise.all(responses.map(async (r) => {
    await r.body?.cancel();
    return r.status;
  }));
  assert.deepEqual(statuses.filter((s) => s === 201).length, 1);
  assert.deepEqual(statuses.filter((s) => s === 409).length, 7);
  const record = JSON.parse(await Deno.readTextFile(`${server.dataDir}/${id}.json`));
  assert.equal(record.participants.length, 2);
});

Deno.test("a join with a forged access signature is refused with 403", async () => {
  await using server = await startTestServer();
  const { id } = await create(server);
  // Signed with the access key of another invite secret.
  const { bundle } = await signedBundle(generateInviteSecret());
  await expectError(
    server,
    {
      path: `/api/conversations/${id}/participants`,
      method: "POST",
      body: JSON.stringify({ bundle }),
    },
    403,
    "bad_access_signature",
  );
});

Deno.test("replaying the creator's public bundle cannot take the second seat", async () => {
  await using server = await startTestServer();
  const { id, body } = await create(server);
  await expectError(
    server,
    {
      path: `/api/conversations/${id}/participants`,
      method: "POST",
      body: JSON.stringify({ bundle: body.conversation.participants[0].bundle }),
    },
    409,
    "duplicate_bundle",
  );
});

Deno.test("a create whose bundle is not signed by its access key is refused", async () => {
  await using server = await startTestServer();
  const { accessKey } = await signedBundle(generateInviteSecret());
  const { bundle } = await signedBundle(generateInviteSecret());
  await expectError(
    server,
    {
      path: "/api/conversations",
      method: "POST",
      body: JSON.stringify({ accessKey, bundle, lifetime: 60 }),
    },
    403,
    "bad_access_signature",
  );
});

/** Small-order Ed25519 keys: the identity point (y = 1) and the all-zero spelling (y = 0). */
const SMALL_ORDER_KEYS = [
  new Uint8Array(32).fill(1, 0, 1),
  new Uint8Array(32),
];
/** `R = B, s = 1`: a signature any message "has" under the identity point. */
const FORGED_SIGNATURE = new Uint8Array(64);
FORGED_SIGNATURE.set([0x58, ...new Array(31).fill(0x66)]);
FORGED_SIGNATURE[32] = 1;

Deno.test("a create or join with a small-order sign key or accessKey gets 400 and writes nothing", async () => {
  await using server = await startTestServer();
  const secret = generateInviteSecret();
  const { id } = await create(server, secret);
  const access = await deriveAccessKey(secret);
  const identity = await generateIdentity();
  for (const small of SMALL_ORDER_KEYS) {
    // Genuinely signed by the access key: only the key itself is wrong.
    const bundle = await createBundle({ ...identity, signPublic: small }, access.privateKey);
    await expectError(
      server,
      {
        path: `/api/conversations/${id}/participants`,
        method: "POST",
        body: JSON.stringify({ bundle }),
      },
      400,
      "small_order_key",
    );
    const accessKey = encodeBase64Url(access.publicKey);
    await expectError(
      server,
      {
        path: "/api/conversations",
        method: "POST",
        body: JSON.stringify({ accessKey, bundle, lifetime: 60 }),
      },
      400,
      "small_order_key",
    );
    // A small-order access key would let a forged access signature pass.
    const forged = {
      ...await createBundle(identity, access.privateKey),
      access: encodeBase64Url(FORGED_SIGNATURE),
    };
    await expectError(
      server,
      {
        path: "/api/conversations",
        method: "POST",
        body: JSON.stringify({ accessKey: encodeBase64Url(small), bundle: forged, lifetime: 60 }),
      },
      400,
      "small_order_key",
    );
  }
  const record = JSON.parse(await Deno.readTextFile(`${server.dataDir}/${id}.json`));
  assert.equal(record.participants.length, 1);
});

Deno.test("malformed and mistyped bodies get 400 and change nothing", async () => {
  await using server = await startTestServer({ MAX_LIFETIME: "3600" });
  const { accessKey, bundle } = await signedBundle(generateInviteSecret());
  const cases: [BodyInit, string][] = [
    ["{not json", "invalid_json"],
    ["", "invalid_json"],
    [new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]), "invalid_json"],
    ["[]", "invalid_request"],
    ["null", "invalid_request"],
    [JSON.stringify({ accessKey, bundle }), "invalid_request"],
    [JSON.stringify({ accessKey, bundle, lifetime: "60" }), "invalid_request"],
    [JSON.stringify({ accessKey, bundle, lifetime: 1.5 }), "invalid_request"],
    [JSON.stringify({ accessKey, bundle, lifetime: -5 }), "invalid_request"],
    [JSON.stringify({ accessKey: 42, bundle, lifetime: 60 }), "invalid_request"],
    [JSON.stringify({ accessKey: "AAAA", bundle, lifetime: 60 }), "invalid_request"],
    [JSON.stringify({ accessKey, bundle: { ...bundle, v: 1 }, lifetime: 60 }), "invalid_request"],
    [JSON.stringify({ accessKey, bundle: { ...bundle, dh: 7 }, lifetime: 60 }), "invalid_request"],
    [JSON.stringify({ accessKey, bundle, lifetime: 60, extra: 1 }), "invalid_request"],
    [JSON.stringify({ accessKey, bundle, lifetime: 3601 }), "invalid_lifetime"],
  ];
  for (const [body, code] of cases) {
    await expectError(server, { path: "/api/conversations", method: "POST", body }, 400, code);
  }
});

Deno.test("an oversized body gets 413, declared or not", async () => {
  await using server = await startTestServer({ MAX_BODY_BYTES: "1024" });
  const big = JSON.stringify({ padding: "x".repeat(4096) });
  await expectError(
    server,
    { path: "/api/conversations", method: "POST", body: big },
    413,
    "body_too_large",
  );
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(big));
      controller.close();
    },
  });
  await expectError(
    server,
    { path: "/api/conversations", method: "POST", body: stream },
    413,
    "body_too_large",
  );
});

Deno.test("bad conversation IDs are refused before any file is touched", async () => {
  await using server = await startTestServer();
  await create(server);
  // Encoded traversal is refused by the router itself, before any route.
  for (const id of ["%2e%2e%2fx", "..%2fx", "%2e%2e%5cx", "x%00"]) {
    await expectError(server, { path: `/api/conversations/${id}` }, 404, "not_found");
  }
  for (
    const id of [
      "01JD3Q8Z5V4T6N2M8K0P9R7S1AB",
      "01jd3q8z5v4t6n2m8k0p9r7s1a",
      "01JD3Q8Z5V4T6N2M8K0P9R7S1U",
      "x",
    ]
  ) {
    await expectError(server, { path: `/api/conversations/${id}` }, 400, "invalid_id");
    await expectError(
      server,
      {
        path: `/api/conversations/${id}/participants`,
        method: "POST",
        body: "{}",
      },
      400,
      "invalid_id",
    );
  }
  // A literal "../x" is resolved by URL rules before it reaches a route.
  await expectError(server, { path: "/api/conversations/../x" }, 404, "not_found");
  await expectError(server, { path: `/api/conversations/${SOME_ULID}` }, 404, "not_found");
});

Deno.test("wrong methods get 405 with Allow, unknown API paths 404", async () => {
  await using server = await startTestServer();
  const before = await snapshotDir(server.dataDir);
  const response = await fetch(`${server.base}/api/conversations`, {
    method: "DELETE",
    headers: JSON_TYPE,
  });
  assert.equal(response.status, 405);
  assert.match(response.headers.get("allow") ?? "", /POST/);
  assert.equal((await response.json()).error.code, "method_not_allowed");
  await expectError(server, { path: "/api/nothing-here" }, 404, "not_found");
  assert.deepEqual(await snapshotDir(server.dataDir), before);
});

Deno.test("GET /healthz answers ok", async () => {
  await using server = await startTestServer();
  const response = await fetch(`${server.base}/healthz`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { ok: true });
});
