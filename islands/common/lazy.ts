/**
 * Components whose code is fetched only when they are first shown, so a page
 * loads up front only what every visit needs. The module is fetched once per
 * page and shared by every place that shows the component.
 *
 * @module
 */
import { type ComponentType, h } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t } from "../../lib/i18n/i18n.ts";

/** A component from {@linkcode lazy}, with a way to fetch its code early. */
export type LazyComponent<P> = ComponentType<P> & {
  /** Fetches the component's code without showing it; resolves when it can render. */
  preload(): Promise<void>;
};

/**
 * Wraps the component that `load` resolves to (typically from a dynamic
 * `import()`) so its code is fetched the first time it renders. Until then it
 * renders nothing; when the fetch fails it logs the error and shows a short
 * alert asking for a reload (a later mount tries the fetch again).
 *
 * @example
 * ```tsx
 * const Panel = lazy(() => import("./Panel.tsx").then((m) => m.Panel));
 * ```
 */
export function lazy<P>(load: () => Promise<ComponentType<P>>): LazyComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<void> | null = null;
  function preload(): Promise<void> {
    pending ??= load().then((component) => {
      loaded = component;
    }, (error) => {
      pending = null;
      throw error;
    });
    return pending;
  }
  function Lazy(props: P) {
    const [failed, setFailed] = useState(false);
    const [, setReady] = useState(false);
    useEffect(() => {
      if (loaded !== null) return;
      let live = true;
      preload().then(() => live && setReady(true), (error) => {
        console.error(error);
        if (live) setFailed(true);
      });
      return () => {
        live = false;
      };
    }, []);
    if (loaded !== null) return h(loaded as ComponentType<object>, props as object);
    if (failed) {
      return h(
        "p",
        { class: "error", role: "alert" },
        t("invite.load_failed"),
      );
    }
    return null;
  }
  return Object.assign(Lazy, { preload });
}
