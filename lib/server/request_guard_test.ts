import assert from "node:assert/strict";
import { HttpError } from "./http_error.ts";
import { guardRequest, type OriginOptions, ownOrigins } from "./request_guard.ts";

const DIRECT: OriginOptions = { publicOrigins: [], trustProxy: false };
const JSON_TYPE = { "content-type": "application/json" };

function post(url: string, headers: Record<string, string>): Request {
  return new Request(url, { method: "POST", headers, body: "{}" });
}

function refusal(request: Request, options = DIRECT): { status: number; code: string } | null {
  try {
    guardRequest(request, options);
    return null;
  } catch (error) {
    assert.ok(error instanceof HttpError, String(error));
    assert.ok(error.message.length > 0);
    return { status: error.status, code: error.code };
  }
}

const CROSS_ORIGIN = { status: 403, code: "cross_origin" };
const NOT_JSON = { status: 415, code: "unsupported_media_type" };
const API = "http://127.0.0.1:8000/api/conversations";

Deno.test("guardRequest() lets same-origin JSON and requests without Origin through", () => {
  assert.equal(refusal(post(API, JSON_TYPE)), null, "curl: no Origin, no Sec-Fetch-Site");
  assert.equal(
    refusal(post(API, {
      ...JSON_TYPE,
      origin: "http://127.0.0.1:8000",
      "sec-fetch-site": "same-origin",
    })),
    null,
  );
  assert.equal(
    refusal(
      post(API, { "content-type": "Application/JSON; charset=utf-8", "sec-fetch-site": "none" }),
    ),
    null,
  );
});

Deno.test("guardRequest() refuses a cross-site or same-site request with 403 cross_origin", () => {
  for (const site of ["cross-site", "same-site", "Cross-Site"]) {
    assert.deepEqual(refusal(post(API, { ...JSON_TYPE, "sec-fetch-site": site })), CROSS_ORIGIN);
  }
  for (
    const origin of [
      "https://evil.example",
      "null",
      "http://127.0.0.1:8001",
      "http://localhost:8000",
    ]
  ) {
    assert.deepEqual(refusal(post(API, { ...JSON_TYPE, origin })), CROSS_ORIGIN, origin);
  }
  // An http page may not post to an https server of the same name.
  assert.deepEqual(
    refusal(post("https://chat.example/api/conversations", {
      ...JSON_TYPE,
      origin: "http://chat.example",
    })),
    CROSS_ORIGIN,
  );
  // Any state-changing method counts; the origin is checked before the type.
  for (const method of ["PUT", "PATCH", "DELETE"]) {
    const request = new Request(API, { method, headers: { origin: "https://evil.example" } });
    assert.deepEqual(refusal(request), CROSS_ORIGIN, method);
  }
});

Deno.test("guardRequest() refuses a cross-site or same-site read too, whatever the method", () => {
  const socket = `${API}/01JD3Q8Z5V4T6N2M8K0P9R7S1A/socket`;
  for (const method of ["GET", "HEAD", "OPTIONS"]) {
    for (const site of ["cross-site", "same-site"]) {
      for (const url of [API, socket]) {
        const request = new Request(url, { method, headers: { "sec-fetch-site": site } });
        assert.deepEqual(refusal(request), CROSS_ORIGIN, `${method} ${url} ${site}`);
      }
    }
    for (const site of ["same-origin", "none"]) {
      const request = new Request(socket, { method, headers: { "sec-fetch-site": site } });
      assert.equal(refusal(request), null, `${method} ${site}`);
    }
  }
});

Deno.test("guardRequest() refuses a state-changing request that is not declared JSON with 415", () => {
  for (
    const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonx",
      "application/json-patch+json",
    ]
  ) {
    assert.deepEqual(refusal(post(API, { "content-type": type })), NOT_JSON, type);
  }
  assert.deepEqual(refusal(new Request(API, { method: "DELETE" })), NOT_JSON, "no content type");
});

Deno.test("guardRequest() checks the origin of a socket upgrade and nothing of other reads", () => {
  const socket = `${API}/01JD3Q8Z5V4T6N2M8K0P9R7S1A/socket`;
  const upgrade = { upgrade: "websocket", connection: "Upgrade" };
  assert.deepEqual(
    refusal(new Request(socket, { headers: { ...upgrade, origin: "https://evil.example" } })),
    CROSS_ORIGIN,
  );
  assert.deepEqual(
    refusal(new Request(socket, { headers: { ...upgrade, "sec-fetch-site": "cross-site" } })),
    CROSS_ORIGIN,
  );
  assert.equal(
    refusal(new Request(socket, { headers: { ...upgrade, origin: "http://127.0.0.1:8000" } })),
    null,
  );
  assert.equal(
    refusal(new Request(socket, { headers: upgrade })),
    null,
    "no Origin: not a browser",
  );
  assert.equal(
    refusal(new Request(API, { headers: { origin: "https://evil.example" } })),
    null,
    "a plain GET changes nothing",
  );
});

Deno.test("ownOrigins() behind a reverse proxy: Host, PUBLIC_ORIGIN, or trusted X-Forwarded-*", () => {
  const proxied = (headers: Record<string, string> = {}) =>
    post(API, { ...JSON_TYPE, origin: "https://chat.example", ...headers });
  // nginx's default passes Host: 127.0.0.1:8000, so the page's origin does not match...
  assert.deepEqual(refusal(proxied()), CROSS_ORIGIN);
  // ...unless the proxy says who it is and is trusted to,
  const forwarded = { "x-forwarded-host": "chat.example", "x-forwarded-proto": "https" };
  assert.equal(refusal(proxied(forwarded), { publicOrigins: [], trustProxy: true }), null);
  assert.deepEqual(refusal(proxied(forwarded)), CROSS_ORIGIN, "untrusted X-Forwarded-*");
  assert.deepEqual(
    refusal(proxied({ "x-forwarded-host": "chat.example", "x-forwarded-proto": "http" }), {
      publicOrigins: [],
      trustProxy: true,
    }),
    CROSS_ORIGIN,
    "the proxy says the page is plain HTTP",
  );
  // ...or PUBLIC_ORIGIN names the origin, which then is the only one.
  const pinned = { publicOrigins: ["https://chat.example"], trustProxy: false };
  assert.equal(refusal(proxied(), pinned), null);
  assert.deepEqual(
    refusal(post(API, { ...JSON_TYPE, origin: "http://127.0.0.1:8000" }), pinned),
    CROSS_ORIGIN,
  );
  // A proxy that keeps the Host (Caddy) but not the scheme: https pages are accepted.
  assert.deepEqual(ownOrigins(new Request("http://chat.example/api"), DIRECT), [
    "http://chat.example",
    "https://chat.example",
  ]);
  assert.deepEqual(ownOrigins(new Request("https://chat.example:443/api"), DIRECT), [
    "https://chat.example",
  ]);
  // A forwarded host that is not a host name is no origin at all.
  assert.deepEqual(
    ownOrigins(new Request(API, { headers: { "x-forwarded-host": "evil.example/x@y" } }), {
      publicOrigins: [],
      trustProxy: true,
    }),
    [],
  );
});
