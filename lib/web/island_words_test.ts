import assert from "node:assert/strict";
import { islandMessageKeys, pickMessages } from "./island_words.ts";

const KEYS = [
  "call.ended",
  "call.ringing",
  "chat.send",
  "chat.send_failed",
  "errors.not_found",
  "errors.rate_limited",
  "home.title",
  "settings.title",
  "time.in_days",
  "time.in_hours",
];

Deno.test("each island gets the keys its own chunks name, on demand ones included, and those a prefix begins", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files: Record<string, string> = {
      "boot.js": 'const l={Chat:()=>import("./Chat-AAAA.js"),Home:()=>import("./Home-BBBB.js")};',
      "Chat-AAAA.js": 'import{a}from"./chunk-CCCC.js";a("chat.send");import("./Call-DDDD.js")',
      "Call-DDDD.js": "x(`call.${state}`)",
      "Home-BBBB.js": 'import"./chunk-CCCC.js";t("home.title");y("not.a.file");z("time.in_"+u)',
      "chunk-CCCC.js": 'export const a=e=>t(`errors.${e}`);const u="./boot.js"',
    };
    for (const [name, code] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${name}`, code);
    }
    const used = await islandMessageKeys(new URL(`file://${dir}/`), KEYS);
    assert.deepEqual([...used.get("Chat")!].sort(), [
      "call.ended",
      "call.ringing",
      "chat.send",
      "errors.not_found",
      "errors.rate_limited",
    ]);
    assert.deepEqual([...used.get("Home")!].sort(), [
      "errors.not_found",
      "errors.rate_limited",
      "home.title",
      "time.in_days",
      "time.in_hours",
    ]);
    assert.equal(used.has("chunk"), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a catalogue is trimmed to the chosen keys", () => {
  const catalogue = {
    tag: "de",
    dir: "ltr" as const,
    messages: { "chat.send": "Senden", "home.title": "Start", "common.product": "X" },
  };
  assert.deepEqual(pickMessages(catalogue, new Set(["chat.send", "nope.x"])).messages, {
    "chat.send": "Senden",
  });
});
