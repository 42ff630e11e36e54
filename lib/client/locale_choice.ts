/**
 * The interface language chosen in Settings, kept in this browser only: in
 * `localStorage` under {@linkcode LOCALE_KEY}, and in the `anon_locale`
 * cookie, which the server reads to render the first paint of every page in
 * that language. The cookie is a preference and nothing else: it names a
 * language, never a person or a conversation. No choice means the browser's
 * own languages (`Accept-Language`) decide.
 *
 * @module
 */
import { localeInfo } from "../i18n/locales.ts";
import { LOCALE_COOKIE } from "../i18n/negotiate.ts";

/** The `localStorage` key of the chosen language's tag; absent means "same as this browser". */
export const LOCALE_KEY = "anon:locale";

/** How long the cookie lasts: one year, renewed whenever Settings is opened. */
export const LOCALE_COOKIE_MAX_AGE = 31_536_000;

/** The place the cookie is written; `document` in the browser. */
export interface CookieJar {
  cookie: string;
}

/** The `Set-Cookie`-style string that stores `tag`, or deletes the cookie when `tag` is null. */
export function localeCookie(tag: string | null): string {
  return tag === null
    ? `${LOCALE_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict`
    : `${LOCALE_COOKIE}=${tag}; Path=/; Max-Age=${LOCALE_COOKIE_MAX_AGE}; SameSite=Strict`;
}

/** The language chosen in this browser, or null when none (or one this server lacks) is. */
export function readLocaleChoice(storage: Storage = localStorage): string | null {
  const tag = storage.getItem(LOCALE_KEY);
  return tag !== null && localeInfo(tag) ? tag : null;
}

/**
 * Stores the chosen language `tag` (null: follow the browser again) in
 * `localStorage` and in the cookie. Throws a `RangeError` for a tag that is
 * not a shipped locale, so nothing else ever reaches the cookie.
 */
export function writeLocaleChoice(
  tag: string | null,
  storage: Storage = localStorage,
  jar: CookieJar = document,
): void {
  if (tag !== null && !localeInfo(tag)) {
    throw new RangeError(`Cannot choose language "${tag}": it is not a shipped locale`);
  }
  if (tag === null) storage.removeItem(LOCALE_KEY);
  else storage.setItem(LOCALE_KEY, tag);
  jar.cookie = localeCookie(tag);
}

/**
 * Writes the cookie again from `localStorage` (the cookie may have expired
 * or been cleared on its own), or deletes it when no language is chosen.
 * Returns the chosen tag.
 */
export function syncLocaleCookie(
  storage: Storage = localStorage,
  jar: CookieJar = document,
): string | null {
  const tag = readLocaleChoice(storage);
  jar.cookie = localeCookie(tag);
  return tag;
}
