/**
 * The web manifest, in the active language: the app's name and description
 * are translated, with `lang` and `dir`; the rest is the same in every
 * language. Served by `routes/manifest.webmanifest.ts`.
 *
 * @module
 */
import { direction, locale, t } from "../i18n/i18n.ts";

/** The PNG icon sizes of the manifest (`static/icon-<size>.png`). */
export const MANIFEST_ICON_SIZES = [192, 512];

/** The web manifest as JSON-ready data, in the active language. */
export function webManifest(): Record<string, unknown> {
  return {
    id: "/",
    name: t("pages.manifest_name"),
    short_name: t("pages.manifest_short_name"),
    description: t("pages.manifest_description"),
    lang: locale(),
    dir: direction(),
    start_url: "/",
    scope: "/",
    display: "standalone",
    background_color: "#f6f7fb",
    theme_color: "#4f46e5",
    icons: [
      { src: "/favicon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
      ...MANIFEST_ICON_SIZES.map((size) => ({
        src: `/icon-${size}.png`,
        sizes: `${size}x${size}`,
        type: "image/png",
        purpose: "any",
      })),
    ],
  };
}
