import assert from "node:assert/strict";
import {
  cleanName,
  displayTitle,
  forgetNames,
  MAX_NAME_LENGTH,
  NAMES_KEY,
  NO_NAMES,
  readAllNames,
  readNames,
  writeNames,
} from "./local_names.ts";

function memoryStorage(entries: Record<string, string> = {}): Storage {
  const map = new Map(Object.entries(entries));
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, String(value)),
  };
}

const A = "01J00000000000000000000000";
const B = "01J00000000000000000000001";

Deno.test("local names are stored per conversation and read back cleaned", () => {
  const storage = memoryStorage();
  assert.deepEqual(readNames(A, storage), NO_NAMES);
  const saved = writeNames(A, { conversation: "  Book   club ", peer: "Eve" }, storage);
  assert.deepEqual(saved, { conversation: "Book club", peer: "Eve" });
  assert.deepEqual(readNames(A, storage), saved);
  assert.deepEqual(readNames(B, storage), NO_NAMES);
  assert.deepEqual(Object.keys(readAllNames(storage)), [A]);
});

Deno.test("two empty names forget a conversation, and forgetNames drops the deleted ones", () => {
  const storage = memoryStorage();
  writeNames(A, { conversation: "x", peer: "" }, storage);
  writeNames(B, { conversation: "", peer: "y" }, storage);
  writeNames(A, { conversation: " ", peer: "" }, storage);
  assert.deepEqual(Object.keys(readAllNames(storage)), [B]);
  forgetNames([B], storage);
  assert.deepEqual(readAllNames(storage), {});
});

Deno.test("a damaged or hostile names value reads as no names", () => {
  for (const text of ["{", "[1]", "null", '{"x": 3}', '{"x": {"conversation": 5}}']) {
    assert.deepEqual(readAllNames(memoryStorage({ [NAMES_KEY]: text })), {}, text);
  }
});

Deno.test("names are cut to the longest length, counting characters not code units", () => {
  const long = "🙂".repeat(MAX_NAME_LENGTH + 5);
  assert.equal([...cleanName(long)].length, MAX_NAME_LENGTH);
  assert.equal(cleanName(42), "");
});

Deno.test("the title is the conversation's name, else the other person's, else the fallback", () => {
  assert.equal(displayTitle({ conversation: "Plans", peer: "Eve" }, "Unterhaltung"), "Plans");
  assert.equal(displayTitle({ conversation: "", peer: "Eve" }, "Unterhaltung"), "Eve");
  assert.equal(displayTitle(NO_NAMES, "Unterhaltung"), "Unterhaltung");
});
