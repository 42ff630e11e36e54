/**
 * The server's side of islands: recording, while a page renders, each
 * island it shows with its props, checked to be plain JSON. Kept apart from
 * `island.ts`, which every island's bundle holds, so no browser loads it.
 *
 * @module
 */
import { type IslandRecord, setIslandRecorder } from "./island.ts";

/**
 * Runs `render` while recording the islands it renders. Rendering must be
 * synchronous, as `preact-render-to-string` is.
 */
export function collectIslands<T>(
  render: () => T,
): { result: T; islands: IslandRecord[] } {
  const islands: IslandRecord[] = [];
  const previous = setIslandRecorder((name, props) => {
    assertJson(props, `props of island "${name}"`);
    return islands.push({ name, props }) - 1;
  });
  try {
    return { result: render(), islands };
  } finally {
    setIslandRecorder(previous);
  }
}

/** Throws `TypeError` unless `value` is plain JSON (no functions, classes, cycles). */
export function assertJson(value: unknown, label: string): void {
  check(value, "", new Set());

  function check(value: unknown, path: string, seen: Set<unknown>): void {
    const fail = (what: string) => {
      throw new TypeError(
        `Cannot serialize ${label}: value at "${path || "."}" is ${what}`,
      );
    };
    if (value === null || typeof value === "string") return;
    if (typeof value === "boolean") return;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) fail("not a finite number");
      return;
    }
    if (typeof value !== "object") return fail(`of type "${typeof value}"`);
    if (seen.has(value)) fail("a circular reference");
    const proto = Object.getPrototypeOf(value);
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
      fail(`an instance of ${proto?.constructor?.name ?? "a class"}`);
    }
    seen.add(value);
    for (const [key, item] of Object.entries(value)) {
      // JSON drops undefined object properties, which round-trips optional props.
      if (item === undefined && !Array.isArray(value)) continue;
      check(item, path ? `${path}.${key}` : key, seen);
    }
    seen.delete(value);
  }
}
