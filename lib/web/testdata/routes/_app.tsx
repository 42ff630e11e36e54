import type { AppProps } from "../../types.ts";
import { asset } from "../../static.ts";

export default function App({ Component, title }: AppProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{title}</title>
        <link rel="stylesheet" href={asset("/app.css")} />
      </head>
      <body>
        <Component />
      </body>
    </html>
  );
}
