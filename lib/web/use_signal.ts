/**
 * A component's state as a box with a `value`, the one part of
 * `@preact/signals` the islands used, in a few lines of hooks instead of a
 * reactive library in every page's JavaScript.
 *
 * @module
 */
import { useReducer, useRef } from "preact/hooks";

/** State that re-renders its component when a different value is set. */
export interface StateSignal<T> {
  /** The current value; setting a value not `Object.is` to it re-renders. */
  value: T;
}

/**
 * Returns the same {@linkcode StateSignal} on every render of the calling
 * component, holding `initial` at first. Setting `.value` takes effect at
 * once (a read right after sees it) and re-renders the component, and with
 * it the children the box is passed to. Setting the value it already holds
 * does nothing.
 *
 * @example
 * ```tsx
 * function Counter() {
 *   const count = useSignal(0);
 *   return <button onClick={() => count.value++}>{count.value}</button>;
 * }
 * ```
 */
export function useSignal<T>(initial: T): StateSignal<T> {
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  const box = useRef<StateSignal<T> | null>(null);
  if (box.current === null) {
    let current = initial;
    box.current = {
      get value() {
        return current;
      },
      set value(next: T) {
        if (Object.is(current, next)) return;
        current = next;
        rerender(0);
      },
    };
  }
  return box.current;
}
