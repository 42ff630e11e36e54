import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect } from "preact/hooks";
import { readTheme, type Theme, writeTheme } from "../../lib/client/preferences.ts";

const CHOICES: { value: Theme; label: string }[] = [
  { value: "system", label: "Same as this device" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

/** Light, dark, or following the device, applied at once. */
export function ThemeSection() {
  const theme = useSignal<Theme>("system");
  useEffect(() => {
    theme.value = readTheme();
  }, []);
  return (
    <section class="card settings-section" aria-labelledby="theme-title">
      <h2 id="theme-title">Appearance</h2>
      <fieldset class="choices">
        <legend>Theme</legend>
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
            <span>{c.label}</span>
          </label>
        ))}
      </fieldset>
    </section>
  );
}
