import assert from "node:assert/strict";
import {
  LOCALE_KEY,
  localeCookie,
  readLocaleChoice,
  syncLocaleCookie,
  writeLocaleChoice,
} from "./locale_choice.ts";
import { negotiateLocale } from "../i18n/negotiate.ts";

/** A `localStorage` stand-in held in a Map. */
class MemoryStorage implements Storage {
  #map = new Map<string, string>();
  get length() {
    return this.#map.size;
  }
  clear() {
    this.#map.clear();
  }
  getItem(key: string) {
    return this.#map.get(key) ?? null;
  }
  key(index: number) {
    return [...this.#map.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.#map.delete(key);
  }
  setItem(key: string, value: string) {
    this.#map.set(key, String(value));
  }
}

Deno.test("a chosen language is stored in localStorage and a one-year strict cookie", () => {
  const storage = new MemoryStorage();
  const jar = { cookie: "" };
  writeLocaleChoice("de", storage, jar);
  assert.equal(storage.getItem(LOCALE_KEY), "de");
  assert.equal(jar.cookie, "anon_locale=de; Path=/; Max-Age=31536000; SameSite=Strict");
  assert.equal(readLocaleChoice(storage), "de");
});

Deno.test("the cookie a chosen language writes makes the server pick it over Accept-Language", () => {
  const cookie = localeCookie("ja").split(";")[0];
  const headers = new Headers({ cookie, "accept-language": "fr-CA,fr;q=0.9" });
  assert.equal(negotiateLocale(headers), "ja");
});

Deno.test("Same as this browser removes the choice and deletes the cookie", () => {
  const storage = new MemoryStorage();
  const jar = { cookie: "" };
  writeLocaleChoice("ar", storage, jar);
  writeLocaleChoice(null, storage, jar);
  assert.equal(storage.getItem(LOCALE_KEY), null);
  assert.equal(jar.cookie, "anon_locale=; Path=/; Max-Age=0; SameSite=Strict");
  assert.equal(readLocaleChoice(storage), null);
});

Deno.test("a language the server does not ship is refused and never reaches the cookie", () => {
  const storage = new MemoryStorage();
  const jar = { cookie: "" };
  assert.throws(() => writeLocaleChoice("xx; Path=/evil", storage, jar), RangeError);
  assert.equal(jar.cookie, "");
  storage.setItem(LOCALE_KEY, "klingon");
  assert.equal(readLocaleChoice(storage), null);
  assert.equal(syncLocaleCookie(storage, jar), null);
  assert.match(jar.cookie, /Max-Age=0/);
});

Deno.test("an expired cookie is written again from the stored choice", () => {
  const storage = new MemoryStorage();
  storage.setItem(LOCALE_KEY, "pt-BR");
  const jar = { cookie: "" };
  assert.equal(syncLocaleCookie(storage, jar), "pt-BR");
  assert.equal(jar.cookie, "anon_locale=pt-BR; Path=/; Max-Age=31536000; SameSite=Strict");
});
