import type { AppState } from "../../lib/server/app_state.ts";
import { errorResponse, HttpError } from "../../lib/server/http_error.ts";
import { guardRequest } from "../../lib/server/request_guard.ts";
import type { Middleware } from "../../lib/web/types.ts";

/**
 * Refuses API requests a browser marks as sent by another site (any method),
 * state-changing requests and socket upgrades from another origin, and
 * state-changing requests that are not JSON, before any route runs, so such
 * a request never counts against a rate limit. The answer is
 * returned rather than thrown so the security headers still apply to it.
 */
export const handler: Middleware<AppState> = async (ctx, next) => {
  const { publicOrigins, trustProxy } = ctx.state.config;
  try {
    guardRequest(ctx.req, { publicOrigins, trustProxy });
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error);
    throw error;
  }
  return await next();
};
