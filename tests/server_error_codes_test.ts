/**
 * Every error code the server can send, read from its source, has a
 * sentence in every shipped language, so the client never shows the
 * server's English `message` nor a raw code.
 */
import assert from "node:assert/strict";
import { readLocaleMessages } from "../lib/i18n/catalogue_files.ts";
import { renderWith } from "../lib/i18n/i18n.ts";
import { LOCALES } from "../lib/i18n/locales.ts";
import { describeServerError } from "../lib/client/server_errors.ts";

const ROOT = new URL("../", import.meta.url);
const SOURCES = ["lib/server/", "lib/protocol/", "lib/web/", "routes/"];

/** Codes the server makes from a variable: `/readyz` answers its readiness reason. */
const FROM_VARIABLES = ["starting", "unavailable", "shutting_down"];

async function serverSources(): Promise<{ path: string; text: string }[]> {
  const files: { path: string; text: string }[] = [];
  async function walk(dir: string) {
    for await (const entry of Deno.readDir(new URL(dir, ROOT))) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory && entry.name !== "testdata") await walk(`${path}/`);
      else if (/\.tsx?$/.test(entry.name) && !/_test\.tsx?$/.test(entry.name)) {
        files.push({ path, text: await Deno.readTextFile(new URL(path, ROOT)) });
      }
    }
  }
  for (const dir of SOURCES) await walk(dir);
  return files;
}

/** The error codes in the server's source: HTTP errors, error frames, close reasons, protocol errors. */
async function serverErrorCodes(): Promise<string[]> {
  const codes = new Set(FROM_VARIABLES);
  const patterns = [
    /new HttpError\(\s*\d+,\s*"([a-z_]+)"/g,
    /\.(?:sendError|reject)\(\s*"([a-z_]+)"/g,
    /code \?\? "([a-z_]+)"/g,
    /_CODE = "([a-z_]+)"/g,
  ];
  for (const { path, text } of await serverSources()) {
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) codes.add(match[1]);
    }
    // An HttpError whose code is not a literal must pass on a code found elsewhere.
    for (const match of text.matchAll(/new HttpError\(\s*\d+,\s*([^,"\s]+)/g)) {
      // `error.code`: a ProtocolError's (found above); `reason`: /readyz's (FROM_VARIABLES).
      assert.ok(
        ["error.code", "reason"].includes(match[1]),
        `${path}: HttpError with code ${match[1]} is not covered by this test`,
      );
    }
  }
  return [...codes].sort();
}

Deno.test("the server error codes are read from the server's own source", async () => {
  const codes = await serverErrorCodes();
  for (
    const code of [
      "conversation_full",
      "rate_limited",
      "invalid_lifetime",
      "not_found",
      "auth_failed",
      "peer_offline",
      "small_order_key",
      "invalid_request",
      "method_not_allowed",
    ]
  ) {
    assert.ok(codes.includes(code), `${code} was not found`);
  }
  assert.ok(!codes.includes("teapot"), "test routes are not the server's");
});

Deno.test("every server error code has an errors.<code> sentence in every shipped language", async () => {
  const codes = await serverErrorCodes();
  for (const { tag } of LOCALES) {
    const messages = await readLocaleMessages(new URL(`locales/${tag}/`, ROOT));
    const missing = codes.filter((code) => !Object.hasOwn(messages, `errors.${code}`));
    assert.deepEqual(missing, [], `${tag} lacks a sentence for these server error codes`);
  }
});

Deno.test("no server error code reaches a German, Japanese or Arabic screen in English", async () => {
  const codes = await serverErrorCodes();
  const english = await readLocaleMessages(new URL("locales/en/", ROOT));
  const englishSentences = new Set(
    codes.flatMap((code) =>
      (["create", "join"] as const).map((action) =>
        renderWith(
          { tag: "en", dir: "ltr", messages: english },
          () => describeServerError(code, 400, action),
        )
      )
    ),
  );
  for (const tag of ["de", "ja", "ar"]) {
    const messages = await readLocaleMessages(new URL(`locales/${tag}/`, ROOT));
    const catalogue = { tag, dir: "ltr" as const, messages: { ...english, ...messages } };
    for (const code of codes) {
      for (const action of ["create", "join"] as const) {
        const sentence = renderWith(catalogue, () => describeServerError(code, 400, action));
        assert.ok(!englishSentences.has(sentence), `${tag} ${code} (${action}): ${sentence}`);
        assert.ok(!sentence.includes(code), `${tag} ${code} shows the raw code: ${sentence}`);
      }
    }
  }
});
