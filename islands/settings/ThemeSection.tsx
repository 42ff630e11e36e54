import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect } from "preact/hooks";
import { readTheme, type Theme, writeTheme } from "../../lib/client/preferences.ts";
import { t } from "../../lib/i18n/i18n.ts";

const CHOICES: { value: Theme; key: string }[] = [
  { value: "system", key: "settings.theme_system" },
  { value: "light", key: "settings.theme_light" },
  { value: "dark", key: "settings.theme_dark" },
];

/** Light, dark, or following the device, applied at once. */
export function ThemeSection() {
  const theme = useSignal<Theme>("system");
  useEffect(() => {
    theme.value = readTheme();
  }, []);
  return (
    <section class="card settings-section" aria-labelledby="theme-title">
      <h2 id="theme-title">{t("settings.appearance")}</h2>
      <fieldset class="choices">
        <legend>{t("settings.theme")}</legend>
        {CHOICES.map((c) => (
          <label key={c.value} class="choice">
            <input
              type="radio"
              name="theme"
              value={c.value}
              checked={theme.value === c.value}
              onChange={() => {
                theme.value = c.value;
                writeTheme(c.value);
              }}
            />
            <span>{t(c.key)}</span>
          </label>
        ))}
      </fieldset>
    </section>
  );
}
