import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { describeServerError } from "./server_errors.ts";

Deno.test("a rate_limited create reads as a sentence, never as the raw code", () => {
  assert.equal(
    describeServerError("rate_limited", 429, "create"),
    "Too many new conversations from this network; try again in a minute",
  );
  assert.equal(
    describeServerError("rate_limited", 429, "join"),
    "Too many attempts to join from this network; try again in a minute",
  );
  // A 429 without a code (say, from a proxy) reads the same.
  assert.equal(
    describeServerError(null, 429),
    "Too many new conversations from this network; try again in a minute",
  );
});

Deno.test("every known server error code has a sentence without the code in it", () => {
  for (
    const code of [
      "too_many_sockets",
      "conversation_full",
      "not_found",
      "bad_access_signature",
      "duplicate_bundle",
      "body_too_large",
      "cross_origin",
      "unsupported_media_type",
      "invalid_json",
      "invalid_id",
    ]
  ) {
    const sentence = describeServerError(code, 400);
    assert.ok(!sentence.includes(code), sentence);
    assert.match(sentence, /^[A-Z]/);
  }
});

Deno.test("a join of a missing conversation says it does not exist, not that a page is missing", () => {
  assert.equal(
    describeServerError("not_found", 404, "join"),
    "This conversation does not exist or has expired",
  );
});

Deno.test("an unknown server error code is named so it can be reported", () => {
  assert.equal(
    describeServerError("brand_new", 400),
    "The server could not do this (brand_new); try again later",
  );
  assert.equal(
    describeServerError(null, 503),
    "The server could not do this (error 503); try again later",
  );
});
