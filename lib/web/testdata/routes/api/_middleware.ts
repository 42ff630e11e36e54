import type { Middleware } from "../../../types.ts";

export const handler: Middleware = async (_ctx, next) => {
  const response = await next();
  response.headers.set("x-api", "1");
  return response;
};
