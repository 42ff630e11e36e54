import { renderWith } from "../lib/i18n/i18n.ts";
import { catalogueFor } from "../lib/web/app.ts";
import { webManifest } from "../lib/web/manifest.ts";
import type { Handlers } from "../lib/web/types.ts";

/** The web manifest in the language negotiated for the request, as a page would be. */
export const handler: Handlers = {
  GET(ctx) {
    const catalogue = catalogueFor(ctx.req);
    const body = renderWith(catalogue, () => JSON.stringify(webManifest(), null, 2));
    return new Response(body, {
      headers: {
        "content-type": "application/manifest+json",
        "content-language": catalogue.tag,
        "cache-control": "no-cache",
        vary: "Accept-Language, Cookie",
      },
    });
  },
};
