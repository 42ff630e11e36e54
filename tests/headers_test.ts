/** Security headers on every kind of response: pages, API, errors, files. */
import assert from "node:assert/strict";
import { startTestServer } from "./fixtures/server.ts";

const REQUIRED_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

const JSON_TYPE = { "content-type": "application/json" };

Deno.test("every response carries the security headers", async () => {
  await using server = await startTestServer({ CREATE_PER_MINUTE: "1" });
  const requests: [string, RequestInit?][] = [
    ["/"],
    ["/healthz"],
    ["/static/app.css"],
    ["/no/such/page"],
    ["/api/conversations/not-an-id"],
    ["/api/conversations", { method: "DELETE", headers: JSON_TYPE }],
    ["/api/conversations", { method: "POST", headers: JSON_TYPE, body: "{" }],
    ["/api/conversations", { method: "POST", headers: JSON_TYPE, body: "{" }], // the 429
  ];
  const statuses: number[] = [];
  for (const [path, init] of requests) {
    const response = await fetch(`${server.base}${path}`, init);
    await response.body?.cancel();
    statuses.push(response.status);
    const headers = response.headers;
    const csp = (headers.get("content-security-policy") ?? "").split(";").map((d) => d.trim());
    for (const directive of REQUIRED_CSP) {
      assert.ok(csp.includes(directive), `${path}: CSP has ${directive}`);
    }
    // The one addition, manifest-src 'self', is explained in routes/_middleware.ts.
    assert.deepEqual(csp.filter((d) => !REQUIRED_CSP.includes(d)), ["manifest-src 'self'"]);
    assert.equal(headers.get("referrer-policy"), "no-referrer", path);
    assert.equal(headers.get("x-content-type-options"), "nosniff", path);
    assert.equal(headers.get("cross-origin-opener-policy"), "same-origin", path);
    assert.equal(headers.get("cross-origin-resource-policy"), "same-origin", path);
    assert.match(headers.get("permissions-policy") ?? "", /camera=\(\)/, path);
    // Plain HTTP: no HSTS (tests/server_test.ts checks it over HTTPS).
    assert.equal(headers.get("strict-transport-security"), null, path);
  }
  assert.deepEqual(statuses.slice(3), [404, 400, 405, 400, 429]);
});

Deno.test("only the chat page may use the camera and microphone, and only for this origin", async () => {
  await using server = await startTestServer();
  const chat = await fetch(`${server.base}/c/01JGZ0000000000000000000C2`);
  await chat.body?.cancel();
  assert.match(
    chat.headers.get("permissions-policy") ?? "",
    /camera=\(self\), microphone=\(self\)/,
  );
  for (const path of ["/", "/settings", "/c/not-an-id", "/c/01JGZ0000000000000000000C2/x"]) {
    const response = await fetch(`${server.base}${path}`);
    await response.body?.cancel();
    const policy = response.headers.get("permissions-policy") ?? "";
    assert.match(policy, /camera=\(\), microphone=\(\)/, path);
  }
});
