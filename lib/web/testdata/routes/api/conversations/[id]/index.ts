import { HttpError } from "../../../../../../server/http_error.ts";
import type { Handlers } from "../../../../../types.ts";

export const handler: Handlers = {
  GET(ctx) {
    if (ctx.params.id === "missing") {
      throw new HttpError(404, "not_found", `Cannot find "${ctx.params.id}"`);
    }
    return Response.json({ id: ctx.params.id });
  },
};
