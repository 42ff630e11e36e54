import { type ComponentType, h, hydrate } from "preact";
import { type Catalogue, setCatalogue } from "../i18n/i18n.ts";

/** Lazy loaders of island modules, by island name. */
export type IslandLoaders = Record<
  string,
  () => Promise<{ default: unknown }>
>;

/** The part of `Document` that `boot` reads. */
export type BootDocument = Pick<
  Document,
  "getElementById" | "querySelectorAll" | "documentElement"
>;

/**
 * Hydrates every `<island-root>` of the page with its props from the
 * `#__islands` JSON block, in the language of the `#__i18n` catalogue, importing only the islands present. An island that
 * fails is logged with `console.error` and does not stop the others. When all
 * are done, `<html>` gets a `data-hydrated` attribute, which tests wait for.
 */
export async function boot(
  loaders: IslandLoaders,
  doc: BootDocument = document,
): Promise<void> {
  const words = doc.getElementById("__i18n")?.textContent;
  if (words) {
    const catalogue = JSON.parse(words) as Catalogue;
    setCatalogue(catalogue);
    // For the islands' own copies of the i18n module (see `PAGE_CATALOGUE` in island.ts).
    (globalThis as Record<symbol, unknown>)[Symbol.for("anon.i18n.catalogue")] = catalogue;
  }
  const text = doc.getElementById("__islands")?.textContent;
  if (!text) {
    doc.documentElement?.setAttribute("data-hydrated", "");
    return;
  }
  const props: unknown[] = JSON.parse(text);
  const roots = Array.from(doc.querySelectorAll("island-root"));
  await Promise.all(roots.map(async (root) => {
    const name = root.getAttribute("data-name") ?? "";
    try {
      if (!Object.hasOwn(loaders, name)) {
        throw new Error(`Cannot hydrate island "${name}": island is unknown`);
      }
      const { default: exported } = await loaders[name]();
      const component = (exported as { component?: ComponentType }).component ??
        exported as ComponentType;
      const index = Number(root.getAttribute("data-props"));
      hydrate(h(component, props[index] as Record<string, unknown>), root);
    } catch (error) {
      console.error(error);
    }
  }));
  doc.documentElement?.setAttribute("data-hydrated", "");
}
