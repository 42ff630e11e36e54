import { asset } from "../lib/web/static.ts";
import type { AppProps } from "../lib/web/types.ts";
import { direction, locale, t } from "../lib/i18n/i18n.ts";

/** The document around every page. */
export default function App({ Component, title, url }: AppProps) {
  const onSettings = url.pathname === "/settings";
  return (
    <html lang={locale()} dir={direction()}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="referrer" content="no-referrer" />
        <meta name="theme-color" content="#4f46e5" />
        <title>{title ? t("common.page_title", { page: title }) : t("common.product")}</title>
        {/* Blocking on purpose: sets data-theme before the first paint. */}
        <script src={asset("/theme.js")}></script>
        <link rel="icon" href={asset("/favicon.svg")} type="image/svg+xml" />
        <link rel="apple-touch-icon" href={asset("/icon-192.png")} />
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="stylesheet" href={asset("/app.css")} />
      </head>
      <body>
        <a class="skip-link" href="#main">{t("common.skip_to_content")}</a>
        <header class="topbar">
          <a class="brand" href="/">
            <img src={asset("/favicon.svg")} alt="" width="24" height="24" />
            <span>{t("common.product")}</span>
          </a>
          <nav class="topnav" aria-label={t("common.site_nav")}>
            <a href="/settings" aria-current={onSettings ? "page" : undefined}>
              {t("common.settings")}
            </a>
          </nav>
        </header>
        <main id="main" class="main" tabIndex={-1}>
          <Component />
        </main>
      </body>
    </html>
  );
}
