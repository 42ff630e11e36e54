/**
 * The top of the layers: composes the server (`lib/server/`: configuration,
 * store, relay hub) with the web layer (`lib/web/`: routes, pages, islands,
 * static files). Used by `main.ts` and by the integration tests, which start
 * it on `127.0.0.1` port 0.
 *
 * @module
 */
import type { Config } from "./server/config.ts";
import type { Logger } from "./server/log.ts";
import { type RunningServer, startServer } from "./server/server.ts";
import { createHandler } from "./web/app.ts";

/** The project root, found from this file so no working directory is assumed. */
export const ROOT_DIR: URL = new URL("../", import.meta.url);

/**
 * Starts the whole application: the server described by `config`, answering
 * with the routes, static files and islands build found under `rootDir`.
 *
 * @example
 * ```ts
 * const server = await serveApp(loadConfig({ PORT: "0" }));
 * await server.shutdown();
 * ```
 */
export function serveApp(
  config: Config,
  options: { log?: Logger; rootDir?: URL } = {},
): Promise<RunningServer> {
  const rootDir = options.rootDir ?? ROOT_DIR;
  return startServer(config, {
    log: options.log,
    handler: (state) => createHandler({ rootDir, buildDir: new URL("_build/", rootDir), state }),
  });
}
