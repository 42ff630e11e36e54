import type { ComponentType } from "preact";
import { renderToString } from "preact-render-to-string";
import { collectIslands } from "./island_collect.ts";
import type { AppProps } from "./types.ts";
import type { Catalogue } from "../i18n/i18n.ts";

/** What `renderPage` needs. */
export interface RenderPageOptions<State = unknown> {
  /** The `_app` component; a minimal document when absent. */
  app?: ComponentType<AppProps<State>>;
  /** The page body, rendered inside the app. */
  Component: ComponentType;
  /** The page title. */
  title: string;
  /** The request URL. */
  url: URL;
  /** The application state. */
  state: State;
  /** The current islands build, or `null` when islands are not built. */
  buildId: string | null;
  /** The words the page's islands need, in its language, by the names of its islands. */
  wordsFor?: (islands: string[]) => Catalogue;
}

const JSON_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * Serializes `value` as JSON that is safe inside an HTML `<script>` element:
 * `<`, `>`, `&`, U+2028 and U+2029 become `\u` escapes, so the text can never
 * close the element or open a comment, and `JSON.parse` returns the original.
 */
export function escapeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => JSON_ESCAPES[char],
  );
}

/**
 * Renders a whole HTML document. When the page contains islands, one JSON
 * props block and one external module script are added at the end of
 * `<body>`; no inline executable script is ever emitted.
 */
export function renderPage<State>(options: RenderPageOptions<State>): string {
  const App = options.app ?? DefaultApp;
  const { result, islands } = collectIslands(() =>
    renderToString(
      <App
        Component={options.Component}
        title={options.title}
        url={options.url}
        state={options.state}
      />,
    )
  );
  let html = result;
  if (islands.length > 0) {
    const names = [...new Set(islands.map((island) => island.name))];
    if (options.buildId === null) {
      throw new Error(
        `Cannot render islands "${names.join('", "')}": islands are not built`,
      );
    }
    const props = escapeJsonForHtml(islands.map((island) => island.props));
    const words = options.wordsFor === undefined
      ? ""
      : `<script type="application/json" id="__i18n">${
        escapeJsonForHtml(options.wordsFor(names))
      }</script>`;
    const scripts = words +
      `<script type="application/json" id="__islands">${props}</script>` +
      `<script type="module" src="/_islands/${options.buildId}/boot.js"></script>`;
    const end = html.lastIndexOf("</body>");
    html = end === -1 ? html + scripts : html.slice(0, end) + scripts + html.slice(end);
  }
  return "<!DOCTYPE html>" + html;
}

function DefaultApp({ Component, title }: AppProps<unknown>) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
      </head>
      <body>
        <Component />
      </body>
    </html>
  );
}
