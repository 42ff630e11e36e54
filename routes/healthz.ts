import { jsonResponse } from "../lib/server/json_response.ts";
import type { Handlers } from "../lib/web/types.ts";

export const handler: Handlers = {
  GET: () => jsonResponse({ ok: true }, 200),
};
