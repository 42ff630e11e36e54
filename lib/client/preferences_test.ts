import assert from "node:assert/strict";
import {
  ALERTS_KEY,
  CHAT_KEY,
  DEFAULT_ALERTS,
  DEFAULT_CHAT,
  readAlerts,
  readChat,
  readTheme,
  resetPreferences,
  THEME_KEY,
  writeChat,
} from "./preferences.ts";

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

Deno.test("readTheme() accepts light and dark and treats anything else as system", () => {
  assert.equal(readTheme(memoryStorage()), "system");
  assert.equal(readTheme(memoryStorage({ [THEME_KEY]: "dark" })), "dark");
  assert.equal(readTheme(memoryStorage({ [THEME_KEY]: "light" })), "light");
  assert.equal(readTheme(memoryStorage({ [THEME_KEY]: "<script>" })), "system");
});

Deno.test("readAlerts() falls back to the defaults for missing, damaged or wrong fields", () => {
  assert.deepEqual(readAlerts(memoryStorage()), DEFAULT_ALERTS);
  assert.deepEqual(readAlerts(memoryStorage({ [ALERTS_KEY]: "{not json" })), DEFAULT_ALERTS);
  assert.deepEqual(
    readAlerts(memoryStorage({ [ALERTS_KEY]: JSON.stringify({ sound: true, badge: "yes" }) })),
    { ...DEFAULT_ALERTS, sound: true },
  );
});

Deno.test("readChat() keeps valid fields and falls back to the defaults for the rest", () => {
  const storage = memoryStorage();
  assert.deepEqual(readChat(storage), DEFAULT_CHAT);
  writeChat({ typingIndicator: false, readReceipts: true, maxFileMiB: 100 }, storage);
  assert.deepEqual(readChat(storage), {
    typingIndicator: false,
    readReceipts: true,
    maxFileMiB: 100,
  });
  storage.setItem(CHAT_KEY, JSON.stringify({ readReceipts: "yes", maxFileMiB: 7 }));
  assert.deepEqual(readChat(storage), DEFAULT_CHAT);
  storage.setItem(CHAT_KEY, "{broken");
  assert.deepEqual(readChat(storage), DEFAULT_CHAT);
});

Deno.test("resetPreferences() resets every setting to its default, later ones too, and nothing else", () => {
  const storage = memoryStorage({
    [THEME_KEY]: "dark",
    [ALERTS_KEY]: JSON.stringify({ badge: false, sound: true, desktop: true }),
    [CHAT_KEY]: JSON.stringify({ typingIndicator: false, readReceipts: true, maxFileMiB: 100 }),
    "anon:names": "{}",
    "other-site": "kept",
  });
  resetPreferences(storage, null);
  assert.equal(readTheme(storage), "system");
  assert.deepEqual(readAlerts(storage), DEFAULT_ALERTS);
  assert.deepEqual(readChat(storage), DEFAULT_CHAT);
  assert.equal(storage.getItem("anon:names"), null);
  assert.equal(storage.getItem("other-site"), "kept");
  assert.equal(storage.length, 1);
});
