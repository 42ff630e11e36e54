import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect } from "preact/hooks";
import { syncLocaleCookie, writeLocaleChoice } from "../../lib/client/locale_choice.ts";
import { refreshStoredPages } from "../../lib/client/offline_language.ts";
import { LOCALES } from "../../lib/i18n/locales.ts";
import { t } from "../../lib/i18n/i18n.ts";

/** The value of the "Same as this browser" choice. */
const BROWSER = "";

/**
 * The language of the interface: each shipped language by its own name, or
 * the browser's languages. The choice stays in this browser (a
 * `localStorage` key and a cookie the server reads for the first paint);
 * the pages kept for offline use are fetched again in it, and the page
 * reloads to show it.
 */
export function LanguageSection() {
  const chosen = useSignal(BROWSER);
  useEffect(() => {
    chosen.value = syncLocaleCookie() ?? BROWSER;
  }, []);

  async function choose(value: string) {
    chosen.value = value;
    writeLocaleChoice(value === BROWSER ? null : value);
    // The pages kept for offline use follow the new language too.
    await refreshStoredPages().catch(() => 0);
    location.reload();
  }

  return (
    <section class="card settings-section" aria-labelledby="language-title">
      <h2 id="language-title">{t("settings.language_title")}</h2>
      <p class="field">
        <label for="language">{t("settings.language_label")}</label>{" "}
        <select
          id="language"
          value={chosen.value}
          aria-describedby="language-note"
          onChange={(e) => choose(e.currentTarget.value)}
        >
          <option value={BROWSER}>{t("settings.language_browser")}</option>
          {LOCALES.map((l) => <option key={l.tag} value={l.tag} lang={l.tag}>{l.name}</option>)}
        </select>
      </p>
      <p id="language-note" class="muted">{t("settings.language_note")}</p>
    </section>
  );
}
