import { type ComponentType, createContext, h, type JSX } from "preact";
import { useContext } from "preact/hooks";

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

/**
 * While the server renders a page, records an island's props and returns
 * their index in the page's props; null in the browser. Set only by
 * `collectIslands` (`island_collect.ts`), so the browser's bundles leave the
 * recording and its checks out.
 */
let recorder: ((name: string, props: unknown) => number) | null = null;
const InsideIsland = createContext(false);

/** Sets (or clears, with null) what records the islands of the page being rendered. */
export function setIslandRecorder(next: typeof recorder): typeof recorder {
  const previous = recorder;
  recorder = next;
  return previous;
}

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
    if (recorder === null || inside) {
      return h(Component as ComponentType, props as Record<string, unknown>);
    }
    const index = recorder(name, props);
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
