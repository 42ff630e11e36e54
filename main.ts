/**
 * Starts The Anonymous: builds the islands if they are missing or stale,
 * then serves until SIGINT, or SIGTERM after draining for `DRAIN_MS`.
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
  // SIGTERM drains first (DRAIN_MS, /readyz 503); SIGINT stops at once.
  const stop = (drainMs: number) => async () => {
    if (stopping) return;
    stopping = true;
    await server.drain(drainMs);
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop(0));
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop(config.drainMs));
}
