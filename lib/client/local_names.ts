/**
 * Names a person gives a conversation and the other person in it. They are
 * kept in this browser's `localStorage` only: never in a payload, a frame or
 * a request, so neither the server nor the other person ever learns them.
 *
 * @module
 */

/** The `localStorage` key of every conversation's names, as JSON. */
export const NAMES_KEY = "anon:names";

/** The longest name kept, in characters; longer input is cut. */
export const MAX_NAME_LENGTH = 60;

/** The local names of one conversation; an empty string means none. */
export interface LocalNames {
  /** What this person calls the conversation. */
  conversation: string;
  /** What this person calls the other person. */
  peer: string;
}

/** No names given. */
export const NO_NAMES: LocalNames = { conversation: "", peer: "" };

/** Trims a name, folds its whitespace and cuts it to {@linkcode MAX_NAME_LENGTH}. */
export function cleanName(value: unknown): string {
  if (typeof value !== "string") return "";
  return [...value.replace(/\s+/g, " ").trim()].slice(0, MAX_NAME_LENGTH).join("").trim();
}

function readAll(storage: Storage): Record<string, LocalNames> {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(storage.getItem(NAMES_KEY) ?? "null");
  } catch {
    // A damaged value counts as no names at all.
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
  const all: Record<string, LocalNames> = {};
  for (const [id, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value !== "object" || value === null) continue;
    const entry = value as Record<string, unknown>;
    const names = { conversation: cleanName(entry.conversation), peer: cleanName(entry.peer) };
    if (names.conversation || names.peer) all[id] = names;
  }
  return all;
}

/** The names of conversation `id`, or {@linkcode NO_NAMES}. */
export function readNames(id: string, storage: Storage = localStorage): LocalNames {
  return readAll(storage)[id] ?? NO_NAMES;
}

/** The names of every named conversation, by ID. */
export function readAllNames(storage: Storage = localStorage): Record<string, LocalNames> {
  return readAll(storage);
}

/** Stores the names of conversation `id` (cleaned); two empty names forget it. */
export function writeNames(
  id: string,
  names: LocalNames,
  storage: Storage = localStorage,
): LocalNames {
  const all = readAll(storage);
  const clean = { conversation: cleanName(names.conversation), peer: cleanName(names.peer) };
  if (clean.conversation || clean.peer) all[id] = clean;
  else delete all[id];
  storage.setItem(NAMES_KEY, JSON.stringify(all));
  return clean;
}

/** Forgets the names of the conversations `ids`, as when they are deleted. */
export function forgetNames(ids: readonly string[], storage: Storage = localStorage): void {
  const all = readAll(storage);
  for (const id of ids) delete all[id];
  storage.setItem(NAMES_KEY, JSON.stringify(all));
}

/** The title of a conversation: its name, "<peer>" alone, or `fallback` (in the page's language). */
export function displayTitle(names: LocalNames, fallback: string): string {
  return names.conversation || names.peer || fallback;
}
