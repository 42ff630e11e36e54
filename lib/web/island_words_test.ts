import assert from "node:assert/strict";
import { islandMessageFiles, messageFilesOf, pickMessages } from "./island_words.ts";

Deno.test("each island gets the message files its own chunks use, on demand ones included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files: Record<string, string> = {
      "boot.js": 'const l={Chat:()=>import("./Chat-AAAA.js"),Home:()=>import("./Home-BBBB.js")};',
      "Chat-AAAA.js": 'import{a}from"./chunk-CCCC.js";a("chat.send");import("./Call-DDDD.js")',
      "Call-DDDD.js": "x(`call.${state}`)",
      "Home-BBBB.js": 'import"./chunk-CCCC.js";t("home.title");y("not.a.file")',
      "chunk-CCCC.js": 'export const a=e=>t(`errors.${e}`);const u="./boot.js"',
    };
    for (const [name, code] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${name}`, code);
    }
    const used = await islandMessageFiles(new URL(`file://${dir}/`), [
      "call",
      "chat",
      "errors",
      "home",
      "settings",
    ]);
    assert.deepEqual([...used.get("Chat")!].sort(), ["call", "chat", "errors"]);
    assert.deepEqual([...used.get("Home")!].sort(), ["errors", "home"]);
    assert.deepEqual([...used.get("Call")!], ["call"]);
    assert.equal(used.has("chunk"), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a catalogue is trimmed to the chosen message files", () => {
  const catalogue = {
    tag: "de",
    dir: "ltr" as const,
    messages: { "chat.send": "Senden", "home.title": "Start", "common.product": "X" },
  };
  assert.deepEqual(messageFilesOf(catalogue), ["chat", "common", "home"]);
  assert.deepEqual(pickMessages(catalogue, new Set(["common", "chat"])).messages, {
    "chat.send": "Senden",
    "common.product": "X",
  });
});
