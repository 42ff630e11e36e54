import { HttpError } from "../../../server/http_error.ts";

export function handler(): Response {
  throw new HttpError(418, "teapot", "Cannot brew coffee: <teapot>");
}
