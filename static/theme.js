// Applies the theme chosen in Settings before the first paint, so a dark
// choice never flashes light. Kept tiny and external for the CSP; the key is
// THEME_KEY of lib/client/preferences.ts.
try {
  const theme = localStorage.getItem("anon:theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch (_) {
  // Storage switched off: follow the system.
}
