import assert from "node:assert/strict";
import { folderRegExp, patternRegExp } from "./route_pattern.ts";

const PATTERNS = [
  "/",
  "/healthz",
  "/c/:id",
  "/api/conversations",
  "/api/conversations/:id",
  "/api/conversations/:id/socket",
  "/api/conversations/:id/participants",
  "/files/:rest*",
  "/a.b/:x",
];

/** Paths as the app sees them: `new URL(req.url).pathname`, already canonical. */
const PATHS = [
  "/",
  "/healthz",
  "/healthz/",
  "/HEALTHZ",
  "/c/01JD3Q8Z5V4T6N2M8K0P9R7S1A",
  "/c/",
  "/c/a/b",
  "/c/%2e%2e",
  "/c/a%2Fb",
  "/api/conversations",
  "/api/conversations/",
  "/api/conversations/01JD3Q8Z5V4T6N2M8K0P9R7S1A",
  "/api/conversations/01JD3Q8Z5V4T6N2M8K0P9R7S1A/socket",
  "/api/conversations/01JD3Q8Z5V4T6N2M8K0P9R7S1A/participants",
  "/api/conversations/x/participants/",
  "/api/conversationsx",
  "/files",
  "/files/",
  "/files/a",
  "/files/a/b/c",
  "/files//a",
  "/filesx",
  "/a.b/1",
  "/aXb/1",
  "/c/caf%C3%A9",
  "/c/a b",
].map((path) => new URL(path, "http://localhost").pathname);

Deno.test("patternRegExp() matches exactly the paths URLPattern matches, with the same parameters", () => {
  for (const pattern of PATTERNS) {
    const reference = new URLPattern({ pathname: pattern });
    const compiled = patternRegExp(pattern);
    for (const path of PATHS) {
      const expected = reference.exec({ pathname: path })?.pathname.groups;
      const found = compiled.exec(path);
      assert.equal(found !== null, expected !== undefined, `${pattern} against "${path}"`);
      if (found === null) continue;
      const groups = Object.fromEntries(
        Object.entries(found.groups ?? {}).filter(([, v]) => v !== undefined),
      );
      const wanted = Object.fromEntries(
        Object.entries(expected!).filter(([, v]) => v !== undefined),
      );
      assert.deepEqual(groups, wanted, `${pattern} against "${path}"`);
    }
  }
});

Deno.test("folderRegExp() matches a folder's own path and everything under it, as URLPattern does", () => {
  for (const base of ["", "/api", "/api/conversations"]) {
    const reference = new URLPattern({ pathname: `${base}{/*}?` });
    const compiled = folderRegExp(base);
    for (const path of PATHS) {
      assert.equal(compiled.test(path), reference.test({ pathname: path }), `${base} "${path}"`);
    }
  }
});
