/**
 * The languages the interface speaks. Each has a folder `locales/<tag>/` of
 * message files (one per part of the interface) and a `glossary.json` that
 * keeps its security terms consistent. English is the source: every other
 * locale has the same keys, and falls back to English for none.
 *
 * @module
 */

/** A shipped language. */
export interface LocaleInfo {
  /** The BCP 47 tag, also the folder name. */
  tag: string;
  /** The name of the language in itself, for the language menu. */
  name: string;
  /** The writing direction of the interface. */
  dir: "ltr" | "rtl";
}

/** The source locale: its messages are the reference for every other. */
export const SOURCE_LOCALE = "en";

/**
 * An accented, 40 % longer English made from the source at start, to find
 * clipped text and strings left out of the catalogue. It is chosen only by
 * the language setting, never from `Accept-Language`.
 */
export const PSEUDO_LOCALE = "en-XA";

/** Every shipped locale, in the order of the language menu. */
export const LOCALES: readonly LocaleInfo[] = [
  { tag: "en", name: "English", dir: "ltr" },
  { tag: "ar", name: "العربية", dir: "rtl" },
  { tag: "de", name: "Deutsch", dir: "ltr" },
  { tag: "es", name: "Español", dir: "ltr" },
  { tag: "fa", name: "فارسی", dir: "rtl" },
  { tag: "fr", name: "Français", dir: "ltr" },
  { tag: "he", name: "עברית", dir: "rtl" },
  { tag: "ja", name: "日本語", dir: "ltr" },
  { tag: "pt-BR", name: "Português (Brasil)", dir: "ltr" },
  { tag: "ru", name: "Русский", dir: "ltr" },
  { tag: "tr", name: "Türkçe", dir: "ltr" },
  { tag: "uk", name: "Українська", dir: "ltr" },
  { tag: "zh-CN", name: "中文（简体）", dir: "ltr" },
];

/** The locale of `tag`, exactly as shipped (the pseudo-locale included), or undefined. */
export function localeInfo(tag: string): LocaleInfo | undefined {
  if (tag === PSEUDO_LOCALE) return { tag, name: "Ȩñĝľîšħ (pseudo)", dir: "ltr" };
  return LOCALES.find((locale) => locale.tag === tag);
}
