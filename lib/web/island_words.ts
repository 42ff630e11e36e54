/**
 * Which parts of the message catalogue each island can show, so a page
 * carries only those words for its islands, not the whole catalogue.
 *
 * Read from the islands build at start: an island's module (`<Island>-<hash>.js`)
 * and every chunk it can import, statically or on demand, are searched for
 * string literals that begin with a message file's name and a dot. A literal
 * that is a key (`"chat.send"`) brings that message; any other
 * (`` `errors.${code}` ``, `"time.in_"`) brings every message it begins, for
 * keys chosen at run time.
 * The server renders every page with the whole catalogue; this only trims
 * what is handed to the browser.
 *
 * @module
 */
import type { Catalogue } from "../i18n/i18n.ts";

/** Any relative module specifier in bundled output, static or dynamic: `"./chunk-X.js"`. */
const SPECIFIER = /["'`]\.\/([\w.-]+\.js)["'`]/g;

/** The message keys each island of the build can show, by island name. */
export async function islandMessageKeys(
  islandsDir: URL,
  keys: readonly string[],
): Promise<Map<string, Set<string>>> {
  const codes = new Map<string, string>();
  for await (const entry of Deno.readDir(islandsDir)) {
    if (entry.isFile && entry.name.endsWith(".js")) {
      codes.set(entry.name, await Deno.readTextFile(new URL(entry.name, islandsDir)));
    }
  }
  const known = new Set(keys);
  const files = [...new Set(keys.map((key) => key.slice(0, key.indexOf("."))))];
  const used = new RegExp(`["'\`]((?:${files.join("|")})\\.[\\w.]*)`, "g");
  const result = new Map<string, Set<string>>();
  for (const name of codes.keys()) {
    const island = /^([A-Z]\w*)-[0-9A-Z]+\.js$/.exec(name)?.[1];
    if (island === undefined) continue;
    const found = new Set<string>();
    const pending = [name];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const file = pending.pop()!;
      // boot.js imports every island; an island's own graph never needs it.
      if (seen.has(file) || file === "boot.js") continue;
      seen.add(file);
      const code = codes.get(file) ?? "";
      for (const match of code.matchAll(used)) {
        const literal = match[1];
        if (known.has(literal)) found.add(literal);
        else for (const key of keys) if (key.startsWith(literal)) found.add(key);
      }
      for (const match of code.matchAll(SPECIFIER)) pending.push(match[1]);
    }
    result.set(island, found);
  }
  return result;
}

/** `catalogue` with only the messages of `keys`. */
export function pickMessages(catalogue: Catalogue, keys: ReadonlySet<string>): Catalogue {
  const messages: Record<string, string> = {};
  for (const [key, pattern] of Object.entries(catalogue.messages)) {
    if (keys.has(key)) messages[key] = pattern;
  }
  return { tag: catalogue.tag, dir: catalogue.dir, messages };
}
