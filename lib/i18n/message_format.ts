/**
 * A small subset of ICU MessageFormat, enough for the interface's wording:
 *
 * - `{name}`: a placeholder, replaced by the value passed for `name`
 *   (numbers are formatted for the locale);
 * - `{count, plural, =0 {none} one {# file} other {# files}}`: chosen by
 *   `Intl.PluralRules` of the locale, with `=N` exact matches first; `#`
 *   inside a branch is the number, formatted for the locale;
 * - `{kind, select, audio {…} video {…} other {…}}`: chosen by the value.
 *
 * Apostrophes are plain text (French and Ukrainian need them); braces cannot
 * be escaped, and no message needs them. A pattern is parsed once and kept.
 *
 * @module
 */

/** One piece of a parsed message. */
export type Node =
  | string
  | { arg: string }
  | { arg: string; kind: "plural" | "select"; branches: Record<string, Node[]> }
  | { pound: true };

/** A value a placeholder can take; anything else (such as a Preact element) is passed through. */
export type ParamValue = string | number | unknown;

/** Thrown for a pattern that is not well formed. */
export class MessageSyntaxError extends Error {
  constructor(pattern: string, at: number, what: string) {
    super(`Cannot parse message "${pattern}" at ${at}: ${what}`);
    this.name = "MessageSyntaxError";
  }
}

const NAME = /^[A-Za-z_][\w]*$/;

/** Parses a pattern into nodes; throws `MessageSyntaxError` when malformed. */
export function parseMessage(pattern: string): Node[] {
  let at = 0;
  const fail = (what: string): never => {
    throw new MessageSyntaxError(pattern, at, what);
  };
  function nodes(inPlural: boolean, nested: boolean): Node[] {
    const out: Node[] = [];
    let text = "";
    while (at < pattern.length) {
      const char = pattern[at];
      if (char === "}") {
        if (!nested) fail("unmatched }");
        break;
      }
      if (char === "#" && inPlural) {
        if (text) out.push(text), text = "";
        out.push({ pound: true });
        at++;
      } else if (char === "{") {
        if (text) out.push(text), text = "";
        at++;
        out.push(argument());
      } else {
        text += char;
        at++;
      }
    }
    if (text) out.push(text);
    return out;
  }
  function argument(): Node {
    const close = pattern.slice(at).search(/[},]/);
    if (close === -1) fail("unclosed {");
    const name = pattern.slice(at, at + close).trim();
    if (!NAME.test(name)) fail(`bad argument name "${name}"`);
    at += close;
    if (pattern[at] === "}") {
      at++;
      return { arg: name };
    }
    at++; // ","
    const kindEnd = pattern.indexOf(",", at);
    if (kindEnd === -1) fail("expected , after the argument type");
    const kind = pattern.slice(at, kindEnd).trim();
    if (kind !== "plural" && kind !== "select") fail(`unknown argument type "${kind}"`);
    at = kindEnd + 1;
    const branches: Record<string, Node[]> = {};
    for (;;) {
      while (/\s/.test(pattern[at] ?? "")) at++;
      if (pattern[at] === "}") break;
      const open = pattern.indexOf("{", at);
      if (open === -1) fail("expected { after a selector");
      const selector = pattern.slice(at, open).trim();
      if (!/^(=\d+|[\w-]+)$/.test(selector)) fail(`bad selector "${selector}"`);
      at = open + 1;
      branches[selector] = nodes(kind === "plural", true);
      if (pattern[at] !== "}") fail("unclosed branch");
      at++;
    }
    at++;
    if (!("other" in branches)) fail(`${kind} "${name}" has no "other" branch`);
    return { arg: name, kind: kind as "plural" | "select", branches };
  }
  const result = nodes(false, false);
  return result;
}

/** The argument names a pattern uses, sorted; for checking translations. */
export function argumentsOf(nodes: Node[]): string[] {
  const names = new Set<string>();
  const walk = (list: Node[]) => {
    for (const node of list) {
      if (typeof node === "object" && "arg" in node) {
        names.add(node.arg);
        if ("branches" in node) Object.values(node.branches).forEach(walk);
      }
    }
  };
  walk(nodes);
  return [...names].sort();
}

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function pluralCategory(locale: string, value: number): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, rules = new Intl.PluralRules(locale));
  return rules.select(value);
}

/** Formats a number for `locale`, with a cached `Intl.NumberFormat`. */
export function formatInteger(locale: string, value: number): string {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, format = new Intl.NumberFormat(locale));
  return format.format(value);
}

/**
 * Formats parsed nodes into parts: strings, and placeholder values that are
 * not strings or numbers (such as Preact elements), in order. A missing
 * placeholder value shows as `{name}`, so the gap is visible, never blank.
 */
export function formatParts(
  locale: string,
  nodes: Node[],
  params: Record<string, ParamValue> = {},
  pound?: number,
): unknown[] {
  const parts: unknown[] = [];
  const push = (part: unknown) => {
    const last = parts.length - 1;
    if (typeof part === "string" && typeof parts[last] === "string") parts[last] += part;
    else parts.push(part);
  };
  for (const node of nodes) {
    if (typeof node === "string") push(node);
    else if ("pound" in node) push(pound === undefined ? "#" : formatInteger(locale, pound));
    else if (!("kind" in node)) {
      const value = params[node.arg];
      if (value === undefined || value === null) push(`{${node.arg}}`);
      else if (typeof value === "number") push(formatInteger(locale, value));
      else if (typeof value === "string") push(value);
      else push(value);
    } else {
      const value = params[node.arg];
      let branch: Node[];
      let count: number | undefined;
      if (node.kind === "plural") {
        count = Number(value);
        branch = node.branches[`=${count}`] ??
          node.branches[Number.isFinite(count) ? pluralCategory(locale, count) : "other"] ??
          node.branches.other;
      } else {
        branch = node.branches[String(value)] ?? node.branches.other;
      }
      for (const part of formatParts(locale, branch, params, count ?? pound)) push(part);
    }
  }
  return parts;
}
