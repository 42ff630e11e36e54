import type { AppState } from "../lib/server/app_state.ts";
import { errorResponse, HttpError } from "../lib/server/http_error.ts";
import { jsonResponse } from "../lib/server/json_response.ts";
import type { Handlers } from "../lib/web/types.ts";

const MESSAGES = {
  starting: "The server is starting",
  draining: "The server is shutting down",
  unavailable: "The server cannot reach the shared store",
};

export const handler: Handlers<AppState> = {
  /** 200 while the instance should get traffic; 503 while starting, draining or cut off. */
  GET(ctx) {
    const reason = ctx.state.readiness.reason;
    if (reason === null) return jsonResponse({ ok: true }, 200);
    // JSON like /healthz, not the error page a non-API route would get.
    return errorResponse(
      new HttpError(503, reason === "draining" ? "shutting_down" : reason, MESSAGES[reason], {
        headers: { "retry-after": "5" },
      }),
    );
  },
};
