/**
 * Searching a conversation's history in the browser: where a query occurs
 * in a text, ignoring case. Nothing leaves the page; the chat's search field
 * highlights what this finds.
 *
 * @module
 */

/** The longest query searched for, in characters. */
export const MAX_QUERY_LENGTH = 200;

/** A match: start and end offsets in UTF-16 code units, as DOM ranges count. */
export type Match = [start: number, end: number];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A case-insensitive matcher for `query` (trimmed), or null for an empty one.
 * Whitespace in the query matches any run of whitespace.
 */
export function queryPattern(query: string): RegExp | null {
  const trimmed = [...query.trim()].slice(0, MAX_QUERY_LENGTH).join("");
  if (trimmed === "") return null;
  const source = trimmed.split(/\s+/).map(escapeRegExp).join("\\s+");
  return new RegExp(source, "giu");
}

/** Every non-overlapping match of `pattern` in `text`, in order. */
export function findMatches(text: string, pattern: RegExp | null): Match[] {
  if (pattern === null) return [];
  const matches: Match[] = [];
  pattern.lastIndex = 0;
  for (const found of text.matchAll(pattern)) {
    if (found[0].length === 0) continue;
    matches.push([found.index!, found.index! + found[0].length]);
  }
  return matches;
}

/** The next position among `count` matches, wrapping around; -1 when none. */
export function step(current: number, count: number, forward: boolean): number {
  if (count === 0) return -1;
  if (current < 0) return forward ? 0 : count - 1;
  return (current + (forward ? 1 : -1) + count) % count;
}
