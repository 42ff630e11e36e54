import assert from "node:assert/strict";
import { stripCount, titleWithCount, UnreadCounter } from "./unread.ts";

Deno.test("UnreadCounter counts only new incoming messages that arrive while away", () => {
  const counter = new UnreadCounter([{ id: "1", direction: "in" }]);
  assert.equal(counter.observe([{ id: "1", direction: "in" }], true), 0);
  const more = [
    { id: "1", direction: "in" },
    { id: "2", direction: "out" },
    { id: "3", direction: "in" },
  ] as const;
  assert.equal(counter.observe(more, false), 1);
  assert.equal(counter.count, 0, "seen while present");
  assert.equal(counter.observe([...more, { id: "4", direction: "in" }], true), 1);
  assert.equal(
    counter.observe([...more, { id: "4", direction: "in" }], true),
    0,
    "no double count",
  );
  assert.equal(counter.count, 1);
  counter.clear();
  assert.equal(counter.count, 0);
});

Deno.test("titleWithCount() adds, replaces and removes the count", () => {
  assert.equal(
    titleWithCount("Conversation · The Anonymous", 2),
    "(2) Conversation · The Anonymous",
  );
  assert.equal(titleWithCount("(2) Conversation", 3), "(3) Conversation");
  assert.equal(titleWithCount("(3) Conversation", 0), "Conversation");
  assert.equal(stripCount("(12) A (1) B"), "A (1) B");
});
