import type { AppState } from "../lib/server/app_state.ts";
import type { Middleware } from "../lib/web/types.ts";

/**
 * The Content-Security-Policy of every response. Scripts and styles come only
 * from this origin (the islands boot as an external module, never inline);
 * `connect-src 'self'` covers the same-origin WebSocket.
 *
 * Two additions to the policy the project set out with, each for a reason:
 * `manifest-src 'self'` lets the browser load the web app manifest (it falls
 * under `default-src 'none'` otherwise), and `img-src` keeps `data:` and
 * `blob:` for the QR code and icons drawn in the page. Workers need nothing
 * more: `worker-src` falls back to `script-src 'self'`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy":
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
};

/** The chat page: `/c/<conversation ID>`. */
const CHAT_PAGE = /^\/c\/[0-9A-Z]{26}$/;

/** The chat page's policy: camera and microphone for this origin alone, for calls. */
export const CHAT_PERMISSIONS_POLICY =
  "camera=(self), microphone=(self), geolocation=(), payment=(), usb=(), interest-cohort=()";

/** Adds the security headers to every response, errors and files included. */
export const handler: Middleware<AppState> = async (ctx, next) => {
  const response = await next();
  // A WebSocket upgrade response has immutable headers and needs none of these.
  if (response.status === 101) return response;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    response.headers.set(name, value);
  }
  // Only the chat page may use the camera and microphone, and only for
  // itself: it asks for them when a call is placed or accepted.
  if (CHAT_PAGE.test(ctx.url.pathname)) {
    response.headers.set("permissions-policy", CHAT_PERMISSIONS_POLICY);
  }
  if (ctx.state.config.tlsCert !== undefined) {
    response.headers.set("strict-transport-security", "max-age=31536000");
  }
  return response;
};
