import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import { findMatches, queryPattern, step } from "../../lib/client/history_search.ts";
import { t } from "../../lib/i18n/i18n.ts";

/** Props of {@linkcode HistorySearch}. */
export interface HistorySearchProps {
  /** Changes whenever the history does, so the matches are found again. */
  revision: number;
  onClose(): void;
}

/** Names of the CSS highlights (`::highlight(...)` in app.css). */
const ALL = "search-match";
const CURRENT = "search-current";

/** The text nodes of the shown messages that a search looks in. */
function searchableTexts(list: Element): Text[] {
  const texts: Text[] = [];
  for (const element of list.querySelectorAll(".message .text, .message .file-name")) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      texts.push(node as Text);
    }
  }
  return texts;
}

function setHighlights(all: Range[], current: Range | null): void {
  // The Custom Highlight API marks text without touching the DOM the island renders.
  if (typeof CSS === "undefined" || !("highlights" in CSS)) return;
  CSS.highlights.set(ALL, new Highlight(...all));
  if (current) CSS.highlights.set(CURRENT, new Highlight(current));
  else CSS.highlights.delete(CURRENT);
}

function clearHighlights(): void {
  if (typeof CSS === "undefined" || !("highlights" in CSS)) return;
  CSS.highlights.delete(ALL);
  CSS.highlights.delete(CURRENT);
}

/** Scrolls the message list alone (never the page) so that `range` is in view. */
function reveal(list: Element, range: Range): void {
  const box = range.getBoundingClientRect();
  const frame = list.getBoundingClientRect();
  if (box.top < frame.top || box.bottom > frame.bottom) {
    list.scrollTop += box.top - frame.top - frame.height / 2;
  }
}

/**
 * Search in the conversation's history, in this page only: highlights every
 * match, starting at the newest; Enter (or ↑) goes to the one before,
 * Shift+Enter (or ↓) to the one after; Escape
 * closes it.
 */
export function HistorySearch({ revision, onClose }: HistorySearchProps) {
  const query = useSignal("");
  const count = useSignal(0);
  const position = useSignal(-1);
  const ranges = useRef<Range[]>([]);
  const field = useRef<HTMLInputElement>(null);

  // A layout effect: the highlights go as the search closes, not a frame later.
  useLayoutEffect(() => {
    field.current?.focus();
    return clearHighlights;
  }, []);

  function show(index: number) {
    position.value = index;
    const current = ranges.current[index] ?? null;
    setHighlights(ranges.current, current);
    const list = document.querySelector(".chat .messages");
    if (current && list) reveal(list, current);
  }

  // Finds the matches again when the query or the history changes.
  useEffect(() => {
    const list = document.querySelector(".chat .messages");
    const pattern = queryPattern(query.value);
    const found: Range[] = [];
    if (list && pattern) {
      for (const text of searchableTexts(list)) {
        for (const [start, end] of findMatches(text.data, pattern)) {
          const range = document.createRange();
          range.setStart(text, start);
          range.setEnd(text, end);
          found.push(range);
        }
      }
    }
    ranges.current = found;
    count.value = found.length;
    // A new query starts at the newest match, as the newest messages are in view.
    const keep = position.value >= 0 && position.value < found.length;
    show(found.length === 0 ? -1 : keep ? position.value : found.length - 1);
  }, [query.value, revision]);

  const move = (forward: boolean) => show(step(position.value, count.value, forward));
  const summary = query.value.trim() === ""
    ? ""
    : count.value === 0
    ? t("search.no_matches")
    : t("search.position", { current: position.value + 1, total: count.value });

  return (
    <div
      class="history-search"
      role="search"
      aria-label={t("search.label")}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <label for="history-search-field" class="visually-hidden">
        {t("search.field")}
      </label>
      <input
        ref={field}
        id="history-search-field"
        type="search"
        dir="auto"
        placeholder={t("search.field")}
        autoComplete="off"
        value={query.value}
        onInput={(e) => {
          position.value = -1;
          query.value = e.currentTarget.value;
        }}
        onKeyDown={(e) => {
          // Enter goes back in time (up), Shift+Enter forward, as in the list.
          if (e.key === "Enter") {
            e.preventDefault();
            move(e.shiftKey);
          }
        }}
      />
      <span class="search-count" aria-live="polite" data-testid="search-count">{summary}</span>
      <button
        class="button"
        type="button"
        aria-label={t("search.previous")}
        disabled={count.value === 0}
        onClick={() => move(false)}
      >
        ↑
      </button>
      <button
        class="button"
        type="button"
        aria-label={t("search.next")}
        disabled={count.value === 0}
        onClick={() => move(true)}
      >
        ↓
      </button>
      <button class="button" type="button" onClick={onClose}>{t("search.close")}</button>
    </div>
  );
}
