import assert from "node:assert/strict";
import { asset, loadStaticAssets, serveStatic } from "./static.ts";

const STATIC_DIR = new URL("./testdata/static/", import.meta.url);
const ISLANDS_DIR = new URL("./testdata/no_build/", import.meta.url);

function get(path: string, init?: RequestInit): [Request, URL] {
  const request = new Request(`http://localhost${path}`, init);
  return [request, new URL(request.url)];
}

Deno.test("serveStatic() serves files with caching headers", async (t) => {
  const assets = await loadStaticAssets({
    staticDir: STATIC_DIR,
    islandsDir: ISLANDS_DIR,
    buildId: null,
  });
  const versioned = asset("/app.css");
  assert.match(versioned, /^\/app\.css\?v=[0-9a-f]{16}$/);
  assert.equal(asset("/unknown.css"), "/unknown.css");

  await t.step("no-cache with an ETag without a version", async () => {
    const response = serveStatic(
      ...get("/favicon.svg"),
      "/favicon.svg",
      assets,
    )!;
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "image/svg+xml");
    assert.equal(response.headers.get("cache-control"), "no-cache");
    assert.match(response.headers.get("etag")!, /^"[0-9a-f]{16}"$/);
    await response.body?.cancel();
  });

  await t.step("immutable with the current version only", async () => {
    const current = serveStatic(...get(versioned), "/app.css", assets)!;
    assert.equal(
      current.headers.get("cache-control"),
      "public, max-age=31536000, immutable",
    );
    await current.body?.cancel();
    const old = serveStatic(...get("/app.css?v=0000"), "/app.css", assets)!;
    assert.equal(old.headers.get("cache-control"), "no-cache");
    await old.body?.cancel();
  });

  await t.step("304 for a matching If-None-Match", () => {
    const first = serveStatic(...get("/app.css"), "/app.css", assets)!;
    const etag = first.headers.get("etag")!;
    first.body?.cancel();
    const [request, url] = get("/app.css", {
      headers: { "if-none-match": `"x", ${etag}` },
    });
    const response = serveStatic(request, url, "/app.css", assets)!;
    assert.equal(response.status, 304);
    assert.equal(response.body, null);
  });

  await t.step("HEAD without a body, POST with 405", async () => {
    const head = serveStatic(
      ...get("/app.css", { method: "HEAD" }),
      "/app.css",
      assets,
    )!;
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
    assert.equal(
      head.headers.get("content-length"),
      String((await Deno.readFile(new URL("app.css", STATIC_DIR))).length),
    );
    const post = serveStatic(
      ...get("/app.css", { method: "POST" }),
      "/app.css",
      assets,
    )!;
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    post.body?.cancel();
  });

  await t.step(
    "null for other paths, 404 for islands without a build",
    async () => {
      assert.equal(
        serveStatic(...get("/nothing.css"), "/nothing.css", assets),
        null,
      );
      const islands = serveStatic(
        ...get("/_islands/x/boot.js"),
        "/_islands/x/boot.js",
        assets,
      )!;
      assert.equal(islands.status, 404);
      await islands.body?.cancel();
    },
  );
});
