import { useEffect, useRef } from "preact/hooks";
import type { FaviconBadge } from "../../lib/client/favicon_badge.ts";
import { readAlerts } from "../../lib/client/preferences.ts";
import type { StoredMessage } from "../../lib/client/storage.ts";
import { isPageAway, titleWithCount, UnreadCounter } from "../../lib/client/unread.ts";

/**
 * Announces messages that arrive while the page is out of sight: a count in
 * the tab title, and, as chosen in Settings, a count on the tab icon, a sound
 * and a content-free desktop notification. All of it clears when the page
 * is looked at again. `messages` is `null` until the conversation is open.
 */
export function useNewMessageAlerts(messages: StoredMessage[] | null): void {
  const counter = useRef<UnreadCounter | null>(null);
  const badge = useRef<FaviconBadge | null>(null);

  useEffect(() => {
    if (messages === null) return;
    if (counter.current === null) {
      counter.current = new UnreadCounter(messages);
      return;
    }
    const away = isPageAway();
    if (counter.current.observe(messages, away) === 0 || !away) return;
    const count = counter.current.count;
    const alerts = readAlerts();
    document.title = titleWithCount(document.title, count);
    if (!alerts.badge && !alerts.sound && !alerts.desktop) return;
    // Their code is fetched with the first message that needs it.
    import("../../lib/client/away_alerts.ts").then((code) => {
      if (alerts.badge && counter.current !== null && counter.current.count > 0) {
        badge.current ??= new code.FaviconBadge();
        badge.current.show(counter.current.count).catch(() => {});
      }
      if (alerts.sound) code.playAlertSound();
      if (alerts.desktop) code.showNewMessageNotification();
    }).catch((error) => console.error(error));
  }, [messages]);

  useEffect(() => {
    function onBack() {
      if (isPageAway() || counter.current === null || counter.current.count === 0) return;
      counter.current.clear();
      document.title = titleWithCount(document.title, 0);
      badge.current?.clear();
    }
    document.addEventListener("visibilitychange", onBack);
    globalThis.addEventListener("focus", onBack);
    return () => {
      document.removeEventListener("visibilitychange", onBack);
      globalThis.removeEventListener("focus", onBack);
      document.title = titleWithCount(document.title, 0);
      badge.current?.clear();
    };
  }, []);
}
