/**
 * Starts The Anonymous: builds the islands if they are missing or stale,
 * then serves until SIGINT or SIGTERM.
 *
 * @module
 */
import { loadConfig } from "./lib/server/config.ts";
import { ROOT_DIR, serveApp } from "./lib/serve.ts";
import { ensureIslandsBuilt } from "./lib/web/build.ts";

if (import.meta.main) {
  const config = loadConfig();
  await ensureIslandsBuilt({ rootDir: ROOT_DIR, outDir: new URL("_build/", ROOT_DIR) });
  const server = await serveApp(config);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.shutdown();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
}
