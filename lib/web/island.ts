import { type ComponentType, createContext, h, type JSX } from "preact";
import { useContext } from "preact/hooks";
import { type Catalogue, setCatalogue } from "../i18n/i18n.ts";

/**
 * Where `boot.js` leaves the page's catalogue for the islands. Each island is
 * bundled on its own, with its own copy of `lib/i18n/i18n.ts`, so the
 * catalogue `boot` sets is not the islands' one: each island's copy takes it
 * from here when its bundle loads, before it hydrates.
 */
export const PAGE_CATALOGUE = Symbol.for("anon.i18n.catalogue");

const pageCatalogue = (globalThis as { [PAGE_CATALOGUE]?: Catalogue })[PAGE_CATALOGUE];
if (pageCatalogue !== undefined) setCatalogue(pageCatalogue);

/** An island recorded during server rendering. */
export interface IslandRecord {
  /** The island name, as given to `island()`. */
  name: string;
  /** Its props, checked to be plain JSON. */
  props: unknown;
}

/** A component made by `island()`, carrying the raw component for hydration. */
export interface IslandComponent<Props> {
  (props: Props): JSX.Element;
  /** The island name. */
  islandName: string;
  /** The wrapped component, hydrated in the browser. */
  component: ComponentType<Props>;
}

let collector: IslandRecord[] | null = null;
const InsideIsland = createContext(false);

/**
 * Marks `Component` as an island: during server rendering it records its
 * props and renders inside `<island-root data-name data-props>`; in the
 * browser (and nested inside another island) it renders the plain component.
 *
 * @example
 * ```tsx
 * function Chat(props: ChatProps) { … }
 * export default island("Chat", Chat);
 * ```
 */
export function island<Props>(
  name: string,
  Component: ComponentType<Props>,
): IslandComponent<Props> {
  function Island(props: Props): JSX.Element {
    const inside = useContext(InsideIsland);
    if (collector === null || inside) {
      return h(Component as ComponentType, props as Record<string, unknown>);
    }
    assertJson(props, `props of island "${name}"`);
    const index = collector.push({ name, props }) - 1;
    return h(
      InsideIsland.Provider,
      { value: true },
      h(
        "island-root",
        { "data-name": name, "data-props": String(index) },
        h(Component as ComponentType, props as Record<string, unknown>),
      ),
    );
  }
  Island.islandName = name;
  Island.component = Component;
  Island.displayName = `Island(${name})`;
  return Island;
}

/**
 * Runs `render` while recording the islands it renders. Rendering must be
 * synchronous, as `preact-render-to-string` is.
 */
export function collectIslands<T>(
  render: () => T,
): { result: T; islands: IslandRecord[] } {
  const previous = collector;
  const islands: IslandRecord[] = [];
  collector = islands;
  try {
    return { result: render(), islands };
  } finally {
    collector = previous;
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
