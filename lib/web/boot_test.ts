import assert from "node:assert/strict";
import { boot, type BootDocument } from "./boot.ts";

function fakeDocument(
  json: string | null,
  names: string[],
): BootDocument & { attributes: Set<string> } {
  const roots = names.map((name, index) => ({
    getAttribute: (attribute: string) => attribute === "data-name" ? name : String(index),
  }));
  const attributes = new Set<string>();
  return {
    attributes,
    getElementById: (id: string) =>
      id === "__islands" && json !== null ? { textContent: json } : null,
    querySelectorAll: () => roots,
    documentElement: { setAttribute: (name: string) => attributes.add(name) },
  } as unknown as BootDocument & { attributes: Set<string> };
}

Deno.test("boot() loads nothing without a props block, and says it is done", async () => {
  let loaded = false;
  const doc = fakeDocument(null, ["Chat"]);
  await boot({
    Chat: () => {
      loaded = true;
      return Promise.resolve({ default: null });
    },
  }, doc);
  assert.equal(loaded, false);
  assert.ok(doc.attributes.has("data-hydrated"));
});

Deno.test("boot() loads only present islands, logs each failure, and still says it is done", async () => {
  const doc = fakeDocument("[{}, {}]", ["Broken", "Unknown"]);
  const loaded: string[] = [];
  const logged: unknown[] = [];
  const original = console.error;
  console.error = (error: unknown) => logged.push(error);
  try {
    await boot({
      Broken: () => {
        loaded.push("Broken");
        return Promise.reject(new Error("Cannot load"));
      },
      Absent: () => {
        loaded.push("Absent");
        return Promise.resolve({ default: null });
      },
    }, doc);
  } finally {
    console.error = original;
  }
  assert.deepEqual(loaded, ["Broken"]);
  assert.deepEqual(logged.map(String).sort(), [
    'Error: Cannot hydrate island "Unknown": island is unknown',
    "Error: Cannot load",
  ]);
  assert.ok(doc.attributes.has("data-hydrated"));
});
