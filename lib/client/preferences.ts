/**
 * This browser's display and alert preferences, kept in `localStorage`. They
 * hold no conversation data. `static/theme.js` reads {@linkcode THEME_KEY}
 * before the first paint, so the two must agree.
 *
 * @module
 */

/** The colour theme: follow the system, or a fixed choice. */
export type Theme = "system" | "light" | "dark";

/** How a new message is announced while the page is in the background. */
export interface AlertPreferences {
  /** A count on the tab's icon. */
  badge: boolean;
  /** A short tone. */
  sound: boolean;
  /** A desktop notification saying only "New message". */
  desktop: boolean;
}

/** The `localStorage` key of the theme; absent means "system". */
export const THEME_KEY = "anon:theme";
/** The `localStorage` key of the {@linkcode AlertPreferences}, as JSON. */
export const ALERTS_KEY = "anon:alerts";
/** The alert preferences of a browser that never changed them. */
export const DEFAULT_ALERTS: AlertPreferences = { badge: true, sound: false, desktop: false };

/** Reads the theme; anything unknown counts as "system". */
export function readTheme(storage: Storage = localStorage): Theme {
  const value = safeGet(storage, THEME_KEY);
  return value === "light" || value === "dark" ? value : "system";
}

/** Stores the theme and applies it to `<html data-theme>` at once. */
export function writeTheme(theme: Theme, storage: Storage = localStorage): void {
  if (theme === "system") storage.removeItem(THEME_KEY);
  else storage.setItem(THEME_KEY, theme);
  applyTheme(theme);
}

/** Sets or removes `data-theme` on the root element. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === "system") delete root.dataset.theme;
  else root.dataset.theme = theme;
}

/** Reads the alert preferences, falling back to the defaults field by field. */
export function readAlerts(storage: Storage = localStorage): AlertPreferences {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(safeGet(storage, ALERTS_KEY) ?? "null");
  } catch {
    // A damaged value counts as never set.
  }
  const record = typeof parsed === "object" && parsed !== null
    ? parsed as Record<string, unknown>
    : {};
  const pick = (key: keyof AlertPreferences) =>
    typeof record[key] === "boolean" ? record[key] as boolean : DEFAULT_ALERTS[key];
  return { badge: pick("badge"), sound: pick("sound"), desktop: pick("desktop") };
}

/** Stores the alert preferences. */
export function writeAlerts(alerts: AlertPreferences, storage: Storage = localStorage): void {
  storage.setItem(ALERTS_KEY, JSON.stringify(alerts));
}

function safeGet(storage: Storage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    // Storage can be switched off; the defaults apply then.
    return null;
  }
}

/** What this browser sends and accepts in conversations. */
export interface ChatPreferences {
  /** Send and show "typing…". */
  typingIndicator: boolean;
  /** Send and show read receipts; both people must turn them on. */
  readReceipts: boolean;
  /** The largest file to send or accept, in MiB. */
  maxFileMiB: number;
}

/** The `localStorage` key of the {@linkcode ChatPreferences}, as JSON. */
export const CHAT_KEY = "anon:chat";
/** The chat preferences of a browser that never changed them. */
export const DEFAULT_CHAT: ChatPreferences = {
  typingIndicator: true,
  readReceipts: false,
  maxFileMiB: 25,
};
/** The file size limits offered, in MiB. */
export const FILE_LIMIT_CHOICES: readonly number[] = [5, 10, 25, 50, 100];

/** Reads the chat preferences, falling back to the defaults field by field. */
export function readChat(storage: Storage = localStorage): ChatPreferences {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(safeGet(storage, CHAT_KEY) ?? "null");
  } catch {
    // A damaged value counts as never set.
  }
  const record = typeof parsed === "object" && parsed !== null
    ? parsed as Record<string, unknown>
    : {};
  const flag = (key: "typingIndicator" | "readReceipts") =>
    typeof record[key] === "boolean" ? record[key] as boolean : DEFAULT_CHAT[key];
  const limit = FILE_LIMIT_CHOICES.includes(record.maxFileMiB as number)
    ? record.maxFileMiB as number
    : DEFAULT_CHAT.maxFileMiB;
  return {
    typingIndicator: flag("typingIndicator"),
    readReceipts: flag("readReceipts"),
    maxFileMiB: limit,
  };
}

/** Stores the chat preferences. */
export function writeChat(chat: ChatPreferences, storage: Storage = localStorage): void {
  storage.setItem(CHAT_KEY, JSON.stringify(chat));
}

/** The prefix of every `localStorage` key this site writes. */
export const PREFERENCE_PREFIX = "anon:";

/**
 * Resets every preference of this browser to its default: the theme, the
 * alerts, the chat choices, and any other key under
 * {@linkcode PREFERENCE_PREFIX} (so a preference added later is reset too),
 * then applies the system theme.
 */
export function resetPreferences(
  storage: Storage = localStorage,
  root: HTMLElement | null = globalThis.document?.documentElement ?? null,
): void {
  const keys = [THEME_KEY, ALERTS_KEY, CHAT_KEY];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key !== null && key.startsWith(PREFERENCE_PREFIX)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
  if (root !== null) applyTheme("system", root);
}
