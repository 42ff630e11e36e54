/**
 * The interface's words, in the active language. `t("chat.send")` returns
 * the message of that key, formatted with its placeholders; `tx` does the
 * same but keeps elements passed as placeholders, for a sentence with a link
 * or a name in bold. Keys are `<file>.<name>`: the message file under
 * `locales/<tag>/` and the message in it.
 *
 * One catalogue is active at a time. In the browser it is set once, by the
 * boot script, from the catalogue the server put in the page; on the server,
 * `renderWith` sets it around one synchronous render, so concurrent requests
 * in different languages never mix.
 *
 * Call `t` while rendering or acting, never at module level: a constant made
 * at import time would be in whatever language was active then.
 *
 * @module
 */
import { formatParts, type Node, type ParamValue, parseMessage } from "./message_format.ts";

/** One language's messages, as the page carries them. */
export interface Catalogue {
  /** The BCP 47 tag of the language. */
  tag: string;
  /** The writing direction. */
  dir: "ltr" | "rtl";
  /** Every message by key; missing ones were filled from English on the server. */
  messages: Record<string, string>;
}

/** Before any catalogue is set, keys show as themselves, so a gap is seen in tests. */
const EMPTY: Catalogue = { tag: "en", dir: "ltr", messages: {} };

/**
 * The active catalogue and its parsed patterns. Kept on `globalThis`, not in
 * module variables: each island is bundled on its own with its own copy of
 * this module, and every copy must see the catalogue the boot script set.
 */
interface State {
  active: Catalogue;
  parsed: Map<string, Node[]>;
}
const STATE_KEY = Symbol.for("the-anonymous.i18n");
const state = ((globalThis as Record<symbol, unknown>)[STATE_KEY] ??= {
  active: EMPTY,
  parsed: new Map(),
}) as State;

/** Makes `catalogue` the active one. */
export function setCatalogue(catalogue: Catalogue): void {
  if (catalogue === state.active) return;
  state.active = catalogue;
  state.parsed = new Map();
}

/** The active catalogue. */
export function activeCatalogue(): Catalogue {
  return state.active;
}

/** Runs `render` with `catalogue` active and restores the previous one; `render` must not await. */
export function renderWith<T>(catalogue: Catalogue, render: () => T): T {
  const previous = state.active;
  const previousParsed = state.parsed;
  setCatalogue(catalogue);
  try {
    return render();
  } finally {
    state.active = previous;
    state.parsed = previousParsed;
  }
}

/** The active language's tag, for `Intl` formatters and `<html lang>`. */
export function locale(): string {
  return state.active.tag === "en-XA" ? "en" : state.active.tag;
}

/** The active writing direction. */
export function direction(): "ltr" | "rtl" {
  return state.active.dir;
}

function nodesOf(key: string): Node[] | undefined {
  let nodes = state.parsed.get(key);
  if (nodes === undefined) {
    const pattern = state.active.messages[key];
    if (pattern === undefined) return undefined;
    nodes = parseMessage(pattern);
    state.parsed.set(key, nodes);
  }
  return nodes;
}

/** The message `key` with its placeholders filled, as text. An unknown key returns itself. */
export function t(key: string, params?: Record<string, ParamValue>): string {
  const nodes = nodesOf(key);
  return nodes === undefined ? key : formatParts(locale(), nodes, params).join("");
}

/**
 * The message `key` as parts for rendering: text, with any element passed
 * as a placeholder kept in its place (`tx("chat.joined", { name: <b>{n}</b> })`).
 */
export function tx(key: string, params?: Record<string, ParamValue>): unknown[] {
  const nodes = nodesOf(key);
  return nodes === undefined ? [key] : formatParts(locale(), nodes, params);
}

/** Whether the active catalogue has `key`: for messages chosen from data, such as error codes. */
export function hasMessage(key: string): boolean {
  return Object.hasOwn(state.active.messages, key);
}
