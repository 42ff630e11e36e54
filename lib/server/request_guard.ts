/**
 * Refuses what a page on another site could make a browser send to the API,
 * before the request counts against any limit: any request a browser marks
 * `Sec-Fetch-Site: cross-site` or `same-site`, whatever its method (the app's
 * own pages never send one); a state-changing request (any method but GET,
 * HEAD and OPTIONS) or a WebSocket upgrade with an `Origin` that is not this
 * server's; and a state-changing request whose body is not declared
 * `application/json` (a form or `text/plain` body is sent cross-site without
 * a CORS preflight; a JSON one is not).
 *
 * Another origin is told by `Sec-Fetch-Site` (`cross-site` or `same-site`)
 * and by an `Origin` that is not this server's. This server's origin is
 * `PUBLIC_ORIGIN` when set; otherwise it is the request's own: the scheme and
 * the `Host` header (with `TRUST_PROXY`, `X-Forwarded-Proto` and
 * `X-Forwarded-Host` first). An `https` page is accepted for a plain-HTTP
 * request, since a TLS-terminating proxy in front is the usual reason for one.
 * A request without `Origin` or `Sec-Fetch-Site` (curl, an old browser's
 * same-origin GET) is not refused for it.
 *
 * @module
 */
import { HttpError } from "./http_error.ts";

/** How the server learns its own origin. */
export interface OriginOptions {
  /** The origins the server is reached at (`PUBLIC_ORIGIN`); empty: from each request. */
  publicOrigins: readonly string[];
  /** Read `X-Forwarded-Proto` and `X-Forwarded-Host`, set by a trusted proxy. */
  trustProxy: boolean;
}

const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];
const HOST_REGEXP = /^[a-z0-9.\-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * Throws a 403 `cross_origin` or 415 `unsupported_media_type` `HttpError`
 * for a request to the API that another site could have caused.
 *
 * @example
 * ```ts
 * guardRequest(req, { publicOrigins: [], trustProxy: false });
 * ```
 */
export function guardRequest(req: Request, options: OriginOptions): void {
  // Even a read: a page elsewhere must not spend the user's limits.
  checkFetchSite(req);
  if (SAFE_METHODS.includes(req.method)) {
    if (req.headers.get("upgrade")?.toLowerCase() === "websocket") {
      checkSameOrigin(req, options);
    }
    return;
  }
  checkSameOrigin(req, options);
  checkJsonBody(req);
}

/** Throws a 403 `cross_origin` `HttpError` when the browser says `req` comes from another site. */
export function checkFetchSite(req: Request): void {
  const site = req.headers.get("sec-fetch-site")?.toLowerCase();
  if (site === "cross-site" || site === "same-site") {
    throw new HttpError(
      403,
      "cross_origin",
      `Cannot accept a request from another origin (Sec-Fetch-Site "${site}")`,
    );
  }
}

/** Throws a 403 `cross_origin` `HttpError` when `req` comes from another origin. */
export function checkSameOrigin(req: Request, options: OriginOptions): void {
  checkFetchSite(req);
  const origin = req.headers.get("origin");
  if (origin === null) return;
  const expected = ownOrigins(req, options);
  if (!expected.includes(normalizeOrigin(origin) ?? "")) {
    const own = expected[0] === undefined ? "" : `: this server is "${expected[0]}"`;
    throw new HttpError(
      403,
      "cross_origin",
      `Cannot accept a request from origin "${origin.slice(0, 200)}"${own} ` +
        "(behind a reverse proxy, set PUBLIC_ORIGIN)",
    );
  }
}

/** Throws a 415 `unsupported_media_type` `HttpError` unless the body is declared JSON. */
export function checkJsonBody(req: Request): void {
  const type = req.headers.get("content-type");
  if (type?.split(";")[0].trim().toLowerCase() === "application/json") return;
  const declared = type === null
    ? "a request without a content type"
    : `content type "${type.slice(0, 100)}"`;
  throw new HttpError(
    415,
    "unsupported_media_type",
    `Cannot accept ${declared}: expected application/json`,
  );
}

/** The origins a page of this server has, as seen in `req`. */
export function ownOrigins(req: Request, options: OriginOptions): string[] {
  if (options.publicOrigins.length > 0) return [...options.publicOrigins];
  const url = new URL(req.url);
  const forwardedHost = options.trustProxy ? firstValue(req, "x-forwarded-host") : undefined;
  const forwardedProto = options.trustProxy ? firstValue(req, "x-forwarded-proto") : undefined;
  const host = forwardedHost ?? url.host;
  const schemes = forwardedProto !== undefined
    ? [forwardedProto.toLowerCase()]
    : url.protocol === "http:"
    ? ["http", "https"]
    : ["https"];
  if (!HOST_REGEXP.test(host)) return [];
  return schemes.flatMap((scheme) => {
    const origin = normalizeOrigin(`${scheme}://${host}`);
    return origin === null ? [] : [origin];
  });
}

/**
 * The serialized origin of `text` when it is an `http` or `https` origin and
 * nothing more (no credentials, path, query or fragment), else null.
 */
export function normalizeOrigin(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const plain = (url.protocol === "http:" || url.protocol === "https:") &&
    url.username === "" && url.password === "" && url.pathname === "/" &&
    url.search === "" && url.hash === "";
  return plain ? url.origin : null;
}

function firstValue(req: Request, name: string): string | undefined {
  const value = req.headers.get(name)?.split(",")[0].trim();
  return value ? value : undefined;
}
