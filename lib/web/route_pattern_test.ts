import assert from "node:assert/strict";
import { compareRoutePatterns, routePattern } from "./route_pattern.ts";

Deno.test("routePattern() maps files to URL patterns", () => {
  assert.equal(routePattern("index.tsx"), "/");
  assert.equal(routePattern("c/[id].tsx"), "/c/:id");
  assert.equal(
    routePattern("api/conversations/index.ts"),
    "/api/conversations",
  );
  assert.equal(
    routePattern("api/conversations/[id]/socket.ts"),
    "/api/conversations/:id/socket",
  );
  assert.equal(routePattern("files/[...rest].ts"), "/files/:rest*");
  assert.equal(routePattern("healthz.ts"), "/healthz");
});

Deno.test("routePattern() skips special, test and non-script files", () => {
  assert.equal(routePattern("_app.tsx"), null);
  assert.equal(routePattern("_middleware.ts"), null);
  assert.equal(routePattern("api/_middleware.ts"), null);
  assert.equal(routePattern("_lib/helper.ts"), null);
  assert.equal(routePattern("c/[id]_test.ts"), null);
  assert.equal(routePattern("index_test.tsx"), null);
  assert.equal(routePattern("README.md"), null);
});

Deno.test("compareRoutePatterns() puts static segments before parameters", () => {
  const patterns = [
    "/api/conversations/:id",
    "/:rest*",
    "/api/conversations/new",
    "/api/conversations/:id/socket",
    "/",
  ];
  patterns.sort(compareRoutePatterns);
  assert.ok(
    patterns.indexOf("/api/conversations/new") <
      patterns.indexOf("/api/conversations/:id"),
  );
  assert.equal(patterns.at(-1), "/:rest*");
});
