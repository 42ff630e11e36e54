/**
 * TURN for calls: coturn's `use-auth-secret` scheme (the "TURN REST API").
 * The server shares a secret with the TURN server (`TURN_SECRET`) and hands
 * each authenticated socket time-limited credentials: the username is
 * `<expiry in Unix seconds>:<random>` and the password is
 * base64(HMAC-SHA1(secret, username)). The TURN server checks the same HMAC
 * and the expiry; it never learns who is in which conversation.
 *
 * @module
 */
import { encodeBase64Url } from "../crypto/encoding.ts";
import { TURN_URL } from "../protocol/server_frames.ts";

/** The TURN settings: the server URLs clients use, and the shared secret. */
export interface TurnConfig {
  urls: string[];
  secret: string;
}

/** What a socket is handed. */
export interface TurnCredentials {
  urls: string[];
  username: string;
  credential: string;
}

/** How long handed-out credentials stay valid: long enough for a long call. */
export const TURN_CREDENTIAL_SECONDS = 12 * 60 * 60;

/** The most TURN URLs, and the longest one. */
export const MAX_TURN_URLS = 4;
export const MAX_TURN_URL_CHARS = 256;

/**
 * Reads `TURN_URLS` (comma-separated) and `TURN_SECRET`: both or neither;
 * throws naming the variable otherwise.
 */
export function readTurn(env: Record<string, string | undefined>): TurnConfig | null {
  const urlsText = env.TURN_URLS?.trim() ?? "";
  const secret = env.TURN_SECRET ?? "";
  if (urlsText === "" && secret === "") return null;
  if (urlsText === "" || secret === "") {
    throw new TypeError("Invalid TURN settings: set both TURN_URLS and TURN_SECRET, or neither");
  }
  const urls = urlsText.split(",").map((url) => url.trim());
  if (urls.length > MAX_TURN_URLS || urls.some((url) => !TURN_URL.test(url))) {
    throw new TypeError(
      `Invalid TURN_URLS "${urlsText}": expected 1 to ${MAX_TURN_URLS} URLs such as turn:turn.example:3478?transport=udp, separated by commas`,
    );
  }
  if (secret.length < 16) {
    throw new TypeError("Invalid TURN_SECRET: expected at least 16 characters");
  }
  return { urls, secret };
}

/** Fresh credentials valid for {@linkcode TURN_CREDENTIAL_SECONDS} from `now` (milliseconds). */
export async function turnCredentials(
  turn: TurnConfig,
  now: number = Date.now(),
  random: Uint8Array = crypto.getRandomValues(new Uint8Array(12)),
): Promise<TurnCredentials> {
  const expiry = Math.floor(now / 1000) + TURN_CREDENTIAL_SECONDS;
  const username = `${expiry}:${encodeBase64Url(random)}`;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(turn.secret),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(username)),
  );
  return { urls: [...turn.urls], username, credential: btoa(String.fromCharCode(...mac)) };
}
