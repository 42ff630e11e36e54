/**
 * Loads the message catalogues from `locales/` at start (server side only).
 * Each `locales/<tag>/<file>.json` is a flat object of message patterns; its
 * keys become `<file>.<key>`. `glossary.json` is for translators and is not
 * loaded. Every pattern is parsed here, so a malformed translation stops the
 * server at start rather than showing broken text. A key a locale lacks is
 * taken from English.
 *
 * @module
 */
import type { Catalogue } from "./i18n.ts";
import { LOCALES, PSEUDO_LOCALE, SOURCE_LOCALE } from "./locales.ts";
import { parseMessage } from "./message_format.ts";
import { pseudoMessage } from "./pseudo.ts";

/** The file of terms each locale keeps to; not part of the catalogue. */
export const GLOSSARY_FILE = "glossary.json";

/** Reads one locale's message files into `<file>.<key>` → pattern. */
export async function readLocaleMessages(dir: URL): Promise<Record<string, string>> {
  const messages: Record<string, string> = {};
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".json") && entry.name !== GLOSSARY_FILE) {
      names.push(entry.name);
    }
  }
  for (const name of names.sort()) {
    const file = name.slice(0, -".json".length);
    const data: unknown = JSON.parse(await Deno.readTextFile(new URL(name, dir)));
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      throw new TypeError(`Cannot load "${name}" of ${dir.pathname}: not a JSON object`);
    }
    for (const [key, pattern] of Object.entries(data)) {
      if (typeof pattern !== "string") {
        throw new TypeError(`Cannot load "${file}.${key}" of ${dir.pathname}: not a string`);
      }
      parseMessage(pattern);
      messages[`${file}.${key}`] = pattern;
    }
  }
  return messages;
}

/** Every shipped catalogue by tag, the pseudo-locale included, from the `locales/` folder. */
export async function loadCatalogues(localesDir: URL): Promise<Map<string, Catalogue>> {
  const english = await readLocaleMessages(new URL(`${SOURCE_LOCALE}/`, localesDir));
  const catalogues = new Map<string, Catalogue>();
  for (const { tag, dir } of LOCALES) {
    const own = tag === SOURCE_LOCALE
      ? english
      : await readLocaleMessages(new URL(`${tag}/`, localesDir));
    catalogues.set(tag, { tag, dir, messages: { ...english, ...own } });
  }
  const pseudo = Object.fromEntries(
    Object.entries(english).map(([key, pattern]) => [key, pseudoMessage(pattern)]),
  );
  catalogues.set(PSEUDO_LOCALE, { tag: PSEUDO_LOCALE, dir: "ltr", messages: pseudo });
  return catalogues;
}
