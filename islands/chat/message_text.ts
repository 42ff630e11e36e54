/**
 * How a message's text is shown: links (http and https only) cut out to be
 * made clickable, and whether it is emoji only (shown larger). Pure
 * functions; nothing here fetches anything, so no link is ever previewed.
 *
 * @module
 */

/** A run of plain text, or a link with the exact text it was written as. */
export type TextPart = { text: string; href?: undefined } | { text: string; href: string };

const LINK = /\bhttps?:\/\/[^\s<>"'`]+/giu;
/** Trailing characters that end a sentence rather than a link. */
const TRAILING = /[.,;:!?)\]}'"»”’]+$/u;

/**
 * Splits `text` into plain runs and links. Only what starts with `http://`
 * or `https://` and parses as such a URL becomes a link; `javascript:`,
 * `data:` and every other scheme stay plain text.
 */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    let raw = match[0];
    // A closing parenthesis belongs to the link only if it opened one.
    const trailing = raw.match(TRAILING)?.[0] ?? "";
    if (trailing !== "" && !(trailing.startsWith(")") && raw.includes("("))) {
      raw = raw.slice(0, raw.length - trailing.length);
    }
    const href = safeHref(raw);
    if (href === null) continue;
    const start = match.index!;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** The URL to link to, or null when `raw` is not an http or https URL with a host. */
export function safeHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") return null;
  return url.href;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator})/u;

/** Whether `text` is one to three emoji and nothing else (spaces aside). */
export function isEmojiOnly(text: string): boolean {
  const graphemes = [...segmenter.segment(text.replace(/\s+/gu, ""))].map((s) => s.segment);
  return graphemes.length >= 1 && graphemes.length <= 3 &&
    graphemes.every((g) => EMOJI.test(g) && !/[\p{L}\p{N}]/u.test(g));
}
