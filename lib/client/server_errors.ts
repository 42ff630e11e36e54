/**
 * The one place a server error code becomes a sentence for people. The
 * server answers with short machine codes (`rate_limited`); the UI never
 * shows them raw.
 *
 * @module
 */

/** What the person was doing when the server refused. */
export type ServerAction = "create" | "join";

const SENTENCES: Record<string, string | Record<ServerAction, string>> = {
  rate_limited: {
    create: "Too many new conversations from this network; try again in a minute",
    join: "Too many attempts to join from this network; try again in a minute",
  },
  too_many_sockets: "Too many open connections from this network; close a tab and try again",
  conversation_full: "This conversation already has two people in it",
  not_found: "This conversation does not exist or has expired",
  bad_access_signature: "This invite link does not fit the conversation",
  duplicate_bundle: "These keys were already used in this conversation; open the invite again",
  body_too_large: "The request was too large for the server",
  cross_origin: "The server refused a request from another site",
  unsupported_media_type: "The server did not understand this browser's request",
  invalid_json: "The server did not understand this browser's request",
  invalid_id: "This conversation link is not valid",
};

/**
 * A sentence for a server error `code` (or an HTTP `status` when the answer
 * had no code). An unknown code is named, so it can still be reported.
 */
export function describeServerError(
  code: string | null,
  status: number,
  action: ServerAction = "create",
): string {
  const known = code !== null && Object.hasOwn(SENTENCES, code) ? SENTENCES[code] : undefined;
  if (typeof known === "string") return known;
  if (known !== undefined) return known[action];
  if (status === 429) return describeServerError("rate_limited", status, action);
  return code === null
    ? `The server could not do this (error ${status}); try again later`
    : `The server could not do this (${code}); try again later`;
}
