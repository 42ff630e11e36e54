import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { precompress } from "./precompress.ts";
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

Deno.test("serveStatic() sends text files in the coding Accept-Encoding asks for", async (t) => {
  const assets = await loadStaticAssets({
    staticDir: STATIC_DIR,
    islandsDir: ISLANDS_DIR,
    buildId: null,
  });
  const original = await Deno.readFile(new URL("page.css", STATIC_DIR));
  const decode: Record<string, (body: Uint8Array) => Uint8Array> = {
    br: (body) => new Uint8Array(brotliDecompressSync(body)),
    gzip: (body) => new Uint8Array(gunzipSync(body)),
    identity: (body) => body,
  };
  const etags = new Set<string>();
  for (
    const [accept, coding] of [
      [null, "identity"],
      ["gzip", "gzip"],
      ["gzip, deflate, br", "br"],
      ["br;q=0, gzip", "gzip"],
      ["br;q=0, gzip;q=0", "identity"],
    ] as const
  ) {
    await t.step(`${accept ?? "no Accept-Encoding"} gets ${coding}`, async () => {
      const headers: HeadersInit = accept === null ? {} : { "accept-encoding": accept };
      const response = serveStatic(...get("/page.css", { headers }), "/page.css", assets)!;
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-encoding"), coding === "identity" ? null : coding);
      assert.equal(response.headers.get("vary"), "Accept-Encoding");
      assert.equal(response.headers.get("content-type"), "text/css; charset=utf-8");
      assert.equal(response.headers.get("cache-control"), "no-cache");
      const body = new Uint8Array(await response.arrayBuffer());
      assert.equal(response.headers.get("content-length"), String(body.byteLength));
      if (coding !== "identity") assert.ok(body.byteLength < original.byteLength);
      assert.deepEqual(decode[coding](body), original);
      etags.add(response.headers.get("etag")!);

      const head = serveStatic(
        ...get("/page.css", { method: "HEAD", headers }),
        "/page.css",
        assets,
      )!;
      assert.equal(head.body, null);
      assert.equal(head.headers.get("content-length"), String(body.byteLength));
      assert.equal(head.headers.get("content-encoding"), response.headers.get("content-encoding"));

      const etag = response.headers.get("etag")!;
      const [request, url] = get("/page.css", { headers: { ...headers, "if-none-match": etag } });
      const notModified = serveStatic(request, url, "/page.css", assets)!;
      assert.equal(notModified.status, 304);
      assert.equal(notModified.headers.get("etag"), etag);
      assert.equal(notModified.headers.get("vary"), "Accept-Encoding");
    });
  }
  assert.equal(etags.size, 3, "each coding has its own ETag");

  await t.step("an ETag of another coding is not a match", async () => {
    const gzip = serveStatic(
      ...get("/page.css", { headers: { "accept-encoding": "gzip" } }),
      "/page.css",
      assets,
    )!;
    await gzip.body?.cancel();
    const [request, url] = get("/page.css", {
      headers: { "accept-encoding": "br", "if-none-match": gzip.headers.get("etag")! },
    });
    const response = serveStatic(request, url, "/page.css", assets)!;
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-encoding"), "br");
    await response.body?.cancel();
  });
});

Deno.test("loadStaticAssets() takes compressed bodies from the build by content hash", async () => {
  const compressedDir = new URL(`file://${await Deno.makeTempDir()}/`);
  try {
    assert.equal(await precompress([STATIC_DIR], compressedDir), 3);
    const assets = await loadStaticAssets({
      staticDir: STATIC_DIR,
      islandsDir: ISLANDS_DIR,
      buildId: null,
      compressedDir,
    });
    const css = assets.files.get("/page.css")!;
    // A marker body proves the file was read from the build, not recompressed.
    await Deno.writeTextFile(new URL(`${css.hash}.br`, compressedDir), "from the build");
    const again = await loadStaticAssets({
      staticDir: STATIC_DIR,
      islandsDir: ISLANDS_DIR,
      buildId: null,
      compressedDir,
    });
    assert.equal(
      new TextDecoder().decode(again.files.get("/page.css")!.encodings!.br),
      "from the build",
    );
    assert.deepEqual(
      new Uint8Array(gunzipSync(again.files.get("/page.css")!.encodings!.gzip!)),
      css.body,
    );
  } finally {
    await Deno.remove(compressedDir, { recursive: true });
  }
});
