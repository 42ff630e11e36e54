/**
 * Another website cannot spend a user's limits: state-changing API requests
 * and socket upgrades from another origin, and API writes that are not JSON,
 * are refused before they count against any rate limit. The same-origin flow
 * (the real client here, Chromium in tests/browser_test.ts) is unaffected.
 */
import assert from "node:assert/strict";
import { Peer } from "./fixtures/peer.ts";
import { RawSocket, upgradeStatus } from "./fixtures/raw_socket.ts";
import { createBody, joinBody } from "./fixtures/requests.ts";
import { snapshotDir, startTestServer } from "./fixtures/server.ts";

const EVIL = "https://evil.example";

/** The headers a browser sends with a form or `no-cors` fetch from a page on `EVIL`. */
const CROSS_SITE_HEADERS: Record<string, string>[] = [
  { "content-type": "text/plain;charset=UTF-8", origin: EVIL, "sec-fetch-site": "cross-site" },
  { "content-type": "application/x-www-form-urlencoded", origin: EVIL },
  { "content-type": "application/json", "sec-fetch-site": "cross-site" },
  { "content-type": "application/json", origin: EVIL },
];

async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: "POST", headers, body });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

/** The same-origin request the app's own page sends. */
function ownHeaders(base: string): Record<string, string> {
  return { "content-type": "application/json", origin: base, "sec-fetch-site": "same-origin" };
}

Deno.test("twelve cross-site POSTs are refused and the user's own create and join still succeed", async () => {
  await using server = await startTestServer({ CREATE_PER_MINUTE: "10", JOIN_PER_MINUTE: "10" });
  const creates = `${server.base}/api/conversations`;
  const before = await snapshotDir(server.dataDir);
  for (let i = 0; i < 12; i++) {
    // A valid body: only where it comes from is wrong.
    const refused = await post(
      creates,
      (await createBody()).body,
      CROSS_SITE_HEADERS[i % CROSS_SITE_HEADERS.length],
    );
    assert.equal(refused.status, 403, `cross-site POST ${i}`);
    assert.equal(refused.json.error.code, "cross_origin");
    assert.match(refused.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  }
  assert.deepEqual(await snapshotDir(server.dataDir), before);

  const { secret, body } = await createBody();
  const created = await post(creates, body, ownHeaders(server.base));
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const joins = `${creates}/${created.json.conversation.id}/participants`;
  for (let i = 0; i < 12; i++) {
    const refused = await post(
      joins,
      await joinBody(secret),
      CROSS_SITE_HEADERS[i % CROSS_SITE_HEADERS.length],
    );
    assert.equal(refused.status, 403, `cross-site join ${i}`);
  }
  const joined = await post(joins, await joinBody(secret), ownHeaders(server.base));
  assert.equal(joined.status, 201, JSON.stringify(joined.json));
});

Deno.test("an API write not declared application/json gets 415 and spends no token", async () => {
  await using server = await startTestServer({ CREATE_PER_MINUTE: "1" });
  const url = `${server.base}/api/conversations`;
  const before = await snapshotDir(server.dataDir);
  for (const type of ["text/plain", "application/x-www-form-urlencoded", undefined]) {
    const response = await fetch(url, {
      method: "POST",
      headers: type === undefined ? {} : { "content-type": type },
      // A Blob without a type is sent without a content type.
      body: type === undefined ? new Blob([(await createBody()).body]) : (await createBody()).body,
    });
    assert.equal(response.status, 415, String(type));
    assert.equal((await response.json()).error.code, "unsupported_media_type");
  }
  assert.deepEqual(await snapshotDir(server.dataDir), before);
  // The one token of the minute is still there.
  const created = await post(url, (await createBody()).body, ownHeaders(server.base));
  assert.equal(created.status, 201);
});

Deno.test("a cross-site socket upgrade is refused before any upgrade and spends no token", async () => {
  await using server = await startTestServer({ CONNECT_PER_MINUTE: "2" });
  const adam = new Peer(server.base);
  await adam.create();
  const path = `/api/conversations/${adam.conversationId}/socket`;
  for (let i = 0; i < 5; i++) {
    assert.equal(await upgradeStatus(server.base, path, { origin: EVIL }), 403);
    assert.equal(await upgradeStatus(server.base, path, { "sec-fetch-site": "cross-site" }), 403);
  }
  assert.equal(server.state.hub.socketCount, 0);
  // Both tokens of the minute are left for the user's own sockets.
  assert.equal(await upgradeStatus(server.base, path, { origin: server.base }), 101);
  const own = await RawSocket.open(server.base, adam.conversationId);
  assert.equal((await own.next()).type, "challenge");
  await own.close();
});

Deno.test("plain cross-site GETs to the socket path are refused and spend no connect token", async () => {
  await using server = await startTestServer({ CONNECT_PER_MINUTE: "2" });
  const adam = new Peer(server.base);
  await adam.create();
  const url = `${server.base}/api/conversations/${adam.conversationId}/socket`;
  // What an <img>, a link or a no-cors fetch on another site sends, over and over.
  for (let i = 0; i < 6; i++) {
    const site = i % 2 === 0 ? "cross-site" : "same-site";
    const refused = await fetch(url, { headers: { "sec-fetch-site": site, origin: EVIL } });
    assert.equal(refused.status, 403, `${site} GET ${i}`);
    assert.equal((await refused.json()).error.code, "cross_origin");
  }
  // Any API path and method a browser marks as another site's is refused.
  const record = await fetch(`${server.base}/api/conversations/${adam.conversationId}`, {
    method: "HEAD",
    headers: { "sec-fetch-site": "cross-site" },
  });
  assert.equal(record.status, 403);
  // Both tokens of the minute are left for the user's own sockets.
  for (let i = 0; i < 2; i++) {
    const own = await RawSocket.open(server.base, adam.conversationId);
    assert.equal((await own.next()).type, "challenge");
    await own.close();
  }
});

Deno.test("a GET to the socket path without an upgrade, or for a conversation that does not exist, spends no connect token", async () => {
  await using server = await startTestServer({ CONNECT_PER_MINUTE: "2" });
  const adam = new Peer(server.base);
  await adam.create();
  const path = (id: string) => `/api/conversations/${id}/socket`;
  for (let i = 0; i < 5; i++) {
    const plain = await fetch(`${server.base}${path(adam.conversationId)}`);
    assert.equal(plain.status, 426, `plain GET ${i}`);
    assert.equal((await plain.json()).error.code, "upgrade_required");
    // A well-formed ID of no conversation, and an ID that is not a ULID.
    assert.equal(await upgradeStatus(server.base, path("01JD3Q8Z5V4T6N2M8K0P9R7S1A")), 404);
    assert.equal(await upgradeStatus(server.base, path("not-a-ulid")), 400);
  }
  assert.equal(server.state.hub.socketCount, 0);
  for (let i = 0; i < 2; i++) {
    const own = await RawSocket.open(server.base, adam.conversationId);
    assert.equal((await own.next()).type, "challenge");
    await own.close();
  }
  // The third connect of the minute is the one refused.
  assert.equal(await upgradeStatus(server.base, path(adam.conversationId)), 429);
});

Deno.test("behind a TLS-terminating proxy the page's https origin is accepted as configured", async () => {
  const page = { "content-type": "application/json", origin: "https://chat.example" };
  // As nginx forwards by default: Host is the upstream's, nothing else said.
  {
    await using server = await startTestServer();
    const url = `${server.base}/api/conversations`;
    const refused = await post(url, (await createBody()).body, page);
    assert.equal(refused.status, 403);
    assert.match(refused.json.error.message, /PUBLIC_ORIGIN/);
  }
  {
    await using server = await startTestServer({ PUBLIC_ORIGIN: "https://chat.example" });
    const url = `${server.base}/api/conversations`;
    assert.equal((await post(url, (await createBody()).body, page)).status, 201);
    // The server's own address is no longer an origin it accepts.
    const direct = await post(url, (await createBody()).body, ownHeaders(server.base));
    assert.equal(direct.status, 403);
  }
  {
    await using server = await startTestServer({ TRUST_PROXY: "1" });
    const url = `${server.base}/api/conversations`;
    const forwarded = { ...page, "x-forwarded-host": "chat.example", "x-forwarded-proto": "https" };
    assert.equal((await post(url, (await createBody()).body, forwarded)).status, 201);
  }
});
