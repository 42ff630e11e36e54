import type { Handlers } from "../../../../types.ts";

export const handler: Handlers = {
  GET: () => Response.json({ list: [] }),
  POST: async (ctx) => Response.json(await ctx.req.json(), { status: 201 }),
};
