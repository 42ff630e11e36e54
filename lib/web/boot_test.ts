import assert from "node:assert/strict";
import { boot, type BootDocument } from "./boot.ts";

function fakeDocument(json: string | null, names: string[]): BootDocument {
  const roots = names.map((name, index) => ({
    getAttribute: (attribute: string) => attribute === "data-name" ? name : String(index),
  }));
  return {
    getElementById: (id: string) =>
      id === "__islands" && json !== null ? { textContent: json } : null,
    querySelectorAll: () => roots,
  } as unknown as BootDocument;
}

Deno.test("boot() does nothing without a props block", async () => {
  let loaded = false;
  await boot({
    Chat: () => {
      loaded = true;
      return Promise.resolve({ default: null });
    },
  }, fakeDocument(null, ["Chat"]));
  assert.equal(loaded, false);
});

Deno.test("boot() loads only present islands and logs each failure", async () => {
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
    }, fakeDocument("[{}, {}]", ["Broken", "Unknown"]));
  } finally {
    console.error = original;
  }
  assert.deepEqual(loaded, ["Broken"]);
  assert.deepEqual(logged.map(String).sort(), [
    'Error: Cannot hydrate island "Unknown": island is unknown',
    "Error: Cannot load",
  ]);
});
