import assert from "node:assert/strict";
import { createHandler, decodePath, type ServeHandler } from "./app.ts";

const ROOT_DIR = new URL("./testdata/", import.meta.url);
const BUILD_ID = "0123456789abcdef";
const INFO = {
  remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 },
  completed: Promise.resolve(),
} as Deno.ServeHandlerInfo<Deno.NetAddr>;

async function setup(): Promise<
  { handler: ServeHandler; cleanup(): Promise<void> }
> {
  const buildDir = await Deno.makeTempDir();
  await Deno.mkdir(`${buildDir}/islands`);
  await Deno.writeTextFile(`${buildDir}/islands/boot.js`, "export {};\n");
  await Deno.writeTextFile(
    `${buildDir}/manifest.json`,
    JSON.stringify({ buildId: BUILD_ID, sourceHash: "" }),
  );
  const handler = await createHandler({
    rootDir: ROOT_DIR,
    buildDir: new URL(`file://${buildDir}/`),
    state: { name: "test" },
  });
  return {
    handler,
    cleanup: () => Deno.remove(buildDir, { recursive: true }),
  };
}

function request(
  handler: ServeHandler,
  path: string,
  init?: RequestInit,
): Promise<Response> {
  return handler(new Request(`http://localhost${path}`, init), INFO);
}

Deno.test("createHandler() dispatches requests", async (t) => {
  const { handler, cleanup } = await setup();

  await t.step("renders a page with islands inside _app", async () => {
    const response = await request(handler, "/");
    assert.equal(response.status, 200);
    assert.equal(
      response.headers.get("content-type"),
      "text/html; charset=utf-8",
    );
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    const html = await response.text();
    assert.match(html, /^<!DOCTYPE html><html lang="en">/);
    assert.match(html, /<title>Home<\/title>/);
    assert.match(
      html,
      /<link rel="stylesheet" href="\/app\.css\?v=[0-9a-f]{16}"\/>/,
    );
    assert.match(html, new RegExp(`src="/_islands/${BUILD_ID}/boot.js"`));
  });

  await t.step("passes decoded params, data and title to a page", async () => {
    const response = await request(handler, "/c/ab%20c");
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /<h1>AB C<\/h1>/);
    assert.match(html, /<title>Conversation ab c<\/title>/);
    assert.doesNotMatch(html, /<script/);
  });

  await t.step("answers HEAD for a page without a body", async () => {
    const response = await request(handler, "/c/x", { method: "HEAD" });
    assert.equal(response.status, 200);
    assert.equal(response.body, null);
  });

  await t.step("prefers static segments over parameters", async () => {
    const response = await request(handler, "/api/conversations/new");
    assert.deepEqual(await response.json(), { route: "new" });
    assert.equal(response.headers.get("x-api"), "1");
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    const other = await request(handler, "/api/conversations/01J");
    assert.deepEqual(await other.json(), { id: "01J" });
  });

  await t.step("matches rest parameters", async () => {
    const response = await request(handler, "/files/a/b.txt");
    assert.deepEqual(await response.json(), { rest: "a/b.txt" });
  });

  await t.step("answers 404 as JSON under /api/", async () => {
    const response = await request(handler, "/api/nothing");
    assert.equal(response.status, 404);
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    assert.equal(response.headers.get("x-api"), "1");
    const body = await response.json();
    assert.equal(body.error.code, "not_found");
  });

  await t.step("answers 404 with the _404 page elsewhere", async () => {
    const response = await request(handler, "/nothing/here");
    assert.equal(response.status, 404);
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    assert.match(await response.text(), /<h1>Nothing here<\/h1>/);
  });

  await t.step("answers 405 with Allow", async () => {
    const api = await request(handler, "/api/conversations", {
      method: "DELETE",
    });
    assert.equal(api.status, 405);
    assert.equal(api.headers.get("allow"), "GET, HEAD, POST");
    assert.equal((await api.json()).error.code, "method_not_allowed");
    const page = await request(handler, "/c/x", { method: "POST" });
    assert.equal(page.status, 405);
    assert.equal(page.headers.get("allow"), "GET, HEAD");
    assert.match(page.headers.get("content-type")!, /^text\/html/);
    await page.body?.cancel();
  });

  await t.step("passes the request to a POST handler", async () => {
    const response = await request(handler, "/api/conversations", {
      method: "POST",
      body: JSON.stringify({ a: 1 }),
    });
    assert.equal(response.status, 201);
    assert.deepEqual(await response.json(), { a: 1 });
  });

  await t.step("maps a thrown HttpError to its response", async () => {
    const api = await request(handler, "/api/conversations/missing");
    assert.equal(api.status, 404);
    assert.deepEqual(await api.json(), {
      error: { code: "not_found", message: 'Cannot find "missing"' },
    });
    const page = await request(handler, "/teapot");
    assert.equal(page.status, 418);
    const html = await page.text();
    // The page says the error in the reader's language, from its code; the
    // server's English message (here with markup in it) never reaches it.
    assert.match(html, /<h1>418<\/h1>/);
    assert.doesNotMatch(html, /Cannot brew coffee|<teapot>/);
  });

  await t.step(
    "answers 500 with a generic message to other errors",
    async () => {
      const logged: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => logged.push(...args);
      try {
        const response = await request(handler, "/api/boom?secret=1");
        assert.equal(response.status, 500);
        const body = await response.json();
        assert.deepEqual(body.error, {
          code: "internal_error",
          message: "Internal server error",
        });
      } finally {
        console.error = original;
      }
      assert.equal(logged.length, 1);
      assert.match(String(logged[0]), /^Error: Secret detail\n/);
      assert.doesNotMatch(String(logged[0]), /secret=1/);
    },
  );

  await t.step("serves static files through middleware", async () => {
    const response = await request(handler, "/app.css");
    assert.equal(response.status, 200);
    assert.equal(
      response.headers.get("content-type"),
      "text/css; charset=utf-8",
    );
    assert.equal(response.headers.get("cache-control"), "no-cache");
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    assert.equal(
      await response.text(),
      await Deno.readTextFile(new URL("static/app.css", ROOT_DIR)),
    );
  });

  await t.step("serves the islands build of the current build id", async () => {
    const response = await request(handler, `/_islands/${BUILD_ID}/boot.js`);
    assert.equal(response.status, 200);
    assert.equal(
      response.headers.get("cache-control"),
      "public, max-age=31536000, immutable",
    );
    await response.body?.cancel();
    const stale = await request(handler, "/_islands/ffffffffffffffff/boot.js");
    assert.equal(stale.status, 404);
    await stale.body?.cancel();
  });

  await t.step("answers 404 to traversal and malformed paths", async () => {
    for (
      const path of [
        "/..%2f..%2fetc%2fpasswd",
        "/files/..%2f..%2fsecret",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%5c..%5capp.css",
        "/app.css%00",
        "/c/%E0%A4%A",
        "/%",
        `/_islands/${BUILD_ID}/..%2fmanifest.json`,
        "/api/conversations/%ZZ",
      ]
    ) {
      const response = await request(handler, path);
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get("x-frame-options"), "DENY", path);
      await response.body?.cancel();
    }
  });

  await cleanup();
});

Deno.test("decodePath() rejects malformed and escaping paths", () => {
  assert.equal(decodePath("/a%20b"), "/a b");
  assert.equal(decodePath("/%"), null);
  assert.equal(decodePath("/a/..%2fb"), null);
  assert.equal(decodePath("/a%5cb"), null);
  assert.equal(decodePath("/a%00"), null);
});
