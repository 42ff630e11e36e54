import { asset } from "../lib/web/static.ts";
import type { AppProps } from "../lib/web/types.ts";

/** The document around every page. */
export default function App({ Component, title }: AppProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="referrer" content="no-referrer" />
        <title>{title ? `${title} · The Anonymous` : "The Anonymous"}</title>
        <link rel="icon" href={asset("/favicon.svg")} type="image/svg+xml" />
        <link rel="stylesheet" href={asset("/app.css")} />
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/">
            <img src={asset("/favicon.svg")} alt="" width="24" height="24" />
            <span>The Anonymous</span>
          </a>
        </header>
        <main id="main" class="main">
          <Component />
        </main>
      </body>
    </html>
  );
}
