/**
 * Fuzzing the HTTP endpoints with fast-check: random and mutated bodies,
 * headers, methods and paths. The server never answers 5xx, keeps serving,
 * and the data directory changes only when a request was answered 201.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { createBody, joinBody, postJson } from "./fixtures/requests.ts";
import { snapshotDir, startTestServer } from "./fixtures/server.ts";
import { startServerProcess } from "./fixtures/server_process.ts";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** Replaces, inserts or deletes one character of `text`. */
function mutate(text: string, at: number, kind: number, char: string): string {
  const i = at % (text.length + 1);
  if (kind === 0) return text.slice(0, i) + char + text.slice(i + 1);
  if (kind === 1) return text.slice(0, i) + char + text.slice(i);
  return text.slice(0, i) + text.slice(i + 1);
}

const mutation = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.string({ maxLength: 2 }));

Deno.test({
  name: "random and mutated HTTP requests never get a 5xx and change nothing unless admitted",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startTestServer({ MAX_LIFETIME: "3600" });
    const { secret, body: validCreate } = await createBody();
    const created = await fetch(`${server.base}/api/conversations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: validCreate,
    });
    const id = (await created.json()).conversation.id as string;
    const validJoin = await joinBody(secret);
    const paths = [
      "/",
      "/healthz",
      "/api",
      "/api/conversations",
      `/api/conversations/${id}`,
      `/api/conversations/${id}/participants`,
      `/api/conversations/${id}/socket`,
      `/c/${id}`,
      "/static/app.css",
      "/_islands/x/boot.js",
    ];
    const path = fc.oneof(
      fc.constantFrom(...paths),
      fc.tuple(fc.constantFrom(...paths), mutation).map(([p, [at, kind, char]]) =>
        mutate(p, at, kind, char)
      ),
      fc.webPath(),
      fc.array(fc.constantFrom("..", "%2e%2e", "%2F", "api", id, "%00", "c", "\u00e9"), {
        maxLength: 6,
      }).map((parts) => `/${parts.join("/")}`),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(validCreate, validJoin),
      fc.tuple(fc.constantFrom(validCreate, validJoin), mutation).map(([b, [at, kind, char]]) =>
        mutate(b, at, kind, char)
      ),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }),
    );
    const headers = fc.dictionary(
      fc.constantFrom(
        "content-type",
        "accept",
        "x-forwarded-for",
        "upgrade",
        "connection",
        "sec-websocket-key",
        "sec-websocket-version",
        "origin",
        "sec-fetch-site",
        "cookie",
        "range",
        "if-none-match",
      ),
      fc.string({ maxLength: 40 }).filter((v) => /^[\x20-\x7e]*$/.test(v)),
      { maxKeys: 4 },
    );

    let files = await snapshotDir(server.dataDir);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        path,
        headers,
        body,
        async (method, path, headers, body) => {
          let url: URL;
          try {
            url = new URL(path, server.base);
          } catch {
            return;
          }
          const sendsBody = !["GET", "HEAD"].includes(method);
          let response: Response;
          try {
            response = await fetch(url, {
              method,
              // Declared JSON unless the random headers say otherwise, so
              // bodies still reach the parsers past the content-type check.
              headers: { "content-type": "application/json", ...headers },
              body: sendsBody ? body as BodyInit | undefined : undefined,
            });
          } catch (error) {
            // The fetch refused to build the request; nothing was sent.
            if (error instanceof TypeError) return;
            throw error;
          }
          await response.body?.cancel();
          assert.ok(response.status < 500, `${method} ${url.pathname} got ${response.status}`);
          const after = await snapshotDir(server.dataDir);
          if (response.status === 201) {
            files = after;
          } else {
            assert.deepEqual(after, files, `${method} ${url.pathname} changed DATA_DIR`);
          }
        },
      ),
      { numRuns: 400 },
    );
    const health = await fetch(`${server.base}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    assert.ok(!server.logs.some((line) => line.includes("failed")), server.logs.join("\n"));
  },
});

Deno.test({
  name: "garbage on the HTTP port never stops the server",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startTestServer();
    const { port } = server.url;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 512 }),
          fc.string({ maxLength: 300 }).map((s) => new TextEncoder().encode(s)),
          fc.tuple(
            fc.constantFrom(...METHODS),
            fc.string({ maxLength: 80 }),
            fc.string({
              maxLength: 80,
            }),
          ).map(([m, p, h]) =>
            new TextEncoder().encode(`${m} /${p} HTTP/1.1\r\nHost: x\r\n${h}\r\n\r\n`)
          ),
        ),
        async (bytes) => {
          const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
          try {
            await conn.write(bytes);
            const buffer = new Uint8Array(512);
            // Read whatever comes back, up to a short deadline.
            const timer = setTimeout(() => conn.close(), 200);
            try {
              const n = await conn.read(buffer);
              if (n !== null) {
                const status = /^HTTP\/1\.1 (\d{3})/.exec(
                  new TextDecoder().decode(buffer.subarray(0, n)),
                )?.[1];
                if (status !== undefined) assert.ok(Number(status) < 500, `status ${status}`);
              }
            } catch {
              // Closed by either side.
            } finally {
              clearTimeout(timer);
            }
          } finally {
            try {
              conn.close();
            } catch {
              // Already closed.
            }
          }
        },
      ),
      { numRuns: 60 },
    );
    const health = await fetch(`${server.base}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
  },
});

/** Writes `request` on a new connection, half-closes it, and returns the status line's code. */
async function rawStatus(port: number, request: string): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(request));
    await conn.closeWrite();
    const buffer = new Uint8Array(4096);
    let text = "";
    for (let n; !/^HTTP\/1\.1 \d{3}/.test(text) && (n = await conn.read(buffer)) !== null;) {
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
    if (status === undefined) throw new Error(`No status line in ${JSON.stringify(text)}`);
    return Number(status);
  } finally {
    conn.close();
  }
}

Deno.test({
  name:
    "a Host header no URL can hold, or a body cut short, gets a 400 and is never echoed in the output",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startServerProcess();
    const port = Number(new URL(server.base).port);
    const id = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";
    const query = "secret-query-text";
    for (const host of ["a b", "[", "a:99999", "%", "a|b"]) {
      for (const path of [`/api/conversations/${id}?q=${query}`, `/c/${id}?q=${query}`, "/"]) {
        const request = `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
        assert.equal(await rawStatus(port, request), 400, `${host} ${path}`);
      }
    }
    // A declared length the body never reaches, then the client hangs up.
    const created = await postJson(`${server.base}/api/conversations`, (await createBody()).body);
    assert.equal(created.status, 201);
    const { id: kept } = (created.json as { conversation: { id: string } }).conversation;
    for (const path of [`/api/conversations/${kept}/participants`, "/api/conversations"]) {
      const request = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{}`;
      assert.equal(await rawStatus(port, request), 400, path);
    }
    // Chunked, cut off in the middle of a chunk.
    const chunked = `POST /api/conversations HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n{"lif`;
    assert.equal(await rawStatus(port, chunked), 400, "chunked");
    const health = await fetch(`${server.base}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    const output = server.output();
    for (const secret of [query, id.slice(0, 20), kept.slice(0, 20), "Invalid URL", "a b"]) {
      assert.ok(!output.includes(secret), `the output holds "${secret}":\n${output}`);
    }
  },
});
