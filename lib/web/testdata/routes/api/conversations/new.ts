import type { Handlers } from "../../../../types.ts";

export const handler: Handlers = {
  GET: () => Response.json({ route: "new" }),
};
