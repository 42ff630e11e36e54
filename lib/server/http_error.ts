/**
 * An error that maps to an HTTP status and a stable, snake_case error code.
 *
 * Thrown by route handlers for client mistakes; the request dispatcher turns
 * it into `{"error":{"code","message"}}` for API routes and an error page
 * otherwise.
 *
 * @example
 * ```ts
 * throw new HttpError(404, "not_found", `Cannot find conversation "${id}"`);
 * ```
 */
export class HttpError extends Error {
  /** The HTTP status, always 4xx for a client's mistake. */
  readonly status: number;
  /** A stable snake_case code clients can branch on. */
  readonly code: string;
  /** Extra response headers, such as `Allow` or `Retry-After`. */
  readonly headers: HeadersInit | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { headers?: HeadersInit } = {},
  ) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.headers = options.headers;
  }
}

/** Builds the JSON error response of the HTTP contract. */
export function errorResponse(error: HttpError): Response {
  const headers = new Headers(error.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(
    JSON.stringify({ error: { code: error.code, message: error.message } }),
    { status: error.status, headers },
  );
}
