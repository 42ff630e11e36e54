import assert from "node:assert/strict";
import { findMatches, MAX_QUERY_LENGTH, queryPattern, step } from "./history_search.ts";

Deno.test("search finds every match ignoring case, with offsets a DOM range can use", () => {
  const text = "Pizza tonight? PIZZA is fine, pizza!";
  assert.deepEqual(findMatches(text, queryPattern("pizza")), [[0, 5], [15, 20], [30, 35]]);
  assert.deepEqual(findMatches("😀 ok OK", queryPattern("ok")), [[3, 5], [6, 8]]);
  assert.deepEqual(findMatches("نعم شكرا", queryPattern("شكرا")), [[4, 8]]);
});

Deno.test("search treats the query as text, never as a pattern", () => {
  assert.deepEqual(findMatches("a.b axb (x)", queryPattern("a.b")), [[0, 3]]);
  assert.deepEqual(findMatches("(x) [y]", queryPattern("(x)")), [[0, 3]]);
  assert.deepEqual(findMatches("see you  soon", queryPattern(" you soon ")), [[4, 13]]);
});

Deno.test("an empty or blank query matches nothing, and a long one is cut", () => {
  assert.equal(queryPattern("   "), null);
  assert.deepEqual(findMatches("anything", null), []);
  assert.ok(queryPattern("x".repeat(MAX_QUERY_LENGTH * 2))!.source.length <= MAX_QUERY_LENGTH);
});

Deno.test("next and previous wrap around, and there is no position without matches", () => {
  assert.equal(step(-1, 3, true), 0);
  assert.equal(step(-1, 3, false), 2);
  assert.equal(step(2, 3, true), 0);
  assert.equal(step(0, 3, false), 2);
  assert.equal(step(0, 0, true), -1);
});
