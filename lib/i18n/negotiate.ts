/**
 * Chooses the interface language for a request: the language set in this
 * browser's settings (sent back as the `anon_locale` cookie, a preference and
 * nothing else), or else the best match of `Accept-Language`, or English.
 *
 * Matching follows RFC 4647 lookup with one addition: a language matches a
 * shipped locale of the same language and another region (`pt-PT` gets
 * `pt-BR`, `es-MX` gets `es`), except for Chinese, where the script decides
 * (`zh-TW` and `zh-Hant` are Traditional, not shipped, so English).
 *
 * @module
 */
import { localeInfo, LOCALES, SOURCE_LOCALE } from "./locales.ts";

/** The cookie that carries the language chosen in Settings. */
export const LOCALE_COOKIE = "anon_locale";

const TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
const TRADITIONAL = /^zh-(hant|tw|hk|mo)(-|$)/i;

/** The language ranges of an `Accept-Language` value, best first; malformed entries are skipped. */
export function parseAcceptLanguage(header: string | null): string[] {
  if (!header) return [];
  const ranges: { tag: string; q: number; index: number }[] = [];
  header.split(",").slice(0, 32).forEach((entry, index) => {
    const [tag, ...params] = entry.trim().split(";").map((part) => part.trim());
    if (tag !== "*" && !TAG.test(tag)) return;
    let q = 1;
    for (const param of params) {
      const match = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i.exec(param);
      if (match) q = Number(match[1]);
      else if (/^q=/i.test(param)) return;
    }
    if (q > 0) ranges.push({ tag, q, index });
  });
  ranges.sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges.map((range) => range.tag);
}

/** The shipped locale for one language range, or undefined. */
export function matchLocale(range: string): string | undefined {
  const wanted = range.toLowerCase();
  const exact = LOCALES.find((locale) => locale.tag.toLowerCase() === wanted);
  if (exact) return exact.tag;
  const language = wanted.split("-")[0];
  if (language === "zh") {
    return TRADITIONAL.test(wanted) ? undefined : "zh-CN";
  }
  return LOCALES.find((locale) => locale.tag.toLowerCase().split("-")[0] === language)?.tag;
}

/** The value of the language cookie in a `Cookie` header, when it names a locale this server has. */
export function cookieLocale(cookie: string | null): string | undefined {
  for (const pair of (cookie ?? "").split(";")) {
    const [name, value] = pair.trim().split("=");
    if (name === LOCALE_COOKIE && value && localeInfo(value)) return value;
  }
  return undefined;
}

/** The locale for a request: the chosen one, else the best of `Accept-Language`, else English. */
export function negotiateLocale(headers: Headers): string {
  const chosen = cookieLocale(headers.get("cookie"));
  if (chosen) return chosen;
  for (const range of parseAcceptLanguage(headers.get("accept-language"))) {
    if (range === "*") return SOURCE_LOCALE;
    const match = matchLocale(range);
    if (match) return match;
  }
  return SOURCE_LOCALE;
}
