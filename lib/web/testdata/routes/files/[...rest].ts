import type { Handler } from "../../../types.ts";

export const handler: Handler = (ctx) => Response.json(ctx.params);
