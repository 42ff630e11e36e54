/**
 * What the chat page fetches beyond its first load on a first visit, before
 * the secure session exists: a joiner's (the invite offer, joining, the
 * first peer's checks, the handshake) and a creator's (the invite panel and
 * its QR code, the first peer's checks, the handshake). A returning visit,
 * whose session is set up, fetches none of it.
 * `deno run -A bench/visit_weight.ts [islandsDir]` prints them as JSON.
 *
 * @module
 */
import { asDir, listFiles } from "../lib/web/files.ts";
import {
  deferredScripts,
  filesWeight,
  importClosure,
  pageScripts,
  type PageWeight,
} from "./page_weight.ts";

/** The parts each first visit fetches, by the start of their file names. */
export const FIRST_VISIT_PARTS = {
  joiner: ["invite_step", "JoinInvite", "peer_check_new", "handshake_code"],
  creator: ["creator_link", "InvitePanel", "QrCode", "peer_check_new", "handshake_code"],
} as const;

/**
 * The files a first visit fetches beyond the chat page's first load: each
 * named part's file and what it imports statically. Only the chat page's
 * own copies count.
 */
export async function firstVisitScripts(
  islandsDir: URL,
  parts: readonly string[],
): Promise<string[]> {
  const dir = asDir(islandsDir);
  const initial = new Set(await pageScripts(dir, ["Chat"]));
  const deferred = await deferredScripts(dir, ["Chat"]);
  const names = await listFiles(dir);
  const pending = parts.map((part) => {
    const file = deferred.find((name) => name.startsWith(`${part}-`)) ??
      names.find((name) => name.startsWith(`${part}-`));
    if (file === undefined) throw new Error(`Cannot find part "${part}" in "${dir.href}"`);
    return file;
  });
  return await importClosure(dir, pending, initial);
}

/** What each first visit fetches beyond the chat page's first load. */
export async function firstVisitWeights(
  islandsDir: URL,
): Promise<Record<keyof typeof FIRST_VISIT_PARTS, PageWeight>> {
  return {
    joiner: await filesWeight(
      islandsDir,
      await firstVisitScripts(islandsDir, FIRST_VISIT_PARTS.joiner),
    ),
    creator: await filesWeight(
      islandsDir,
      await firstVisitScripts(islandsDir, FIRST_VISIT_PARTS.creator),
    ),
  };
}

if (import.meta.main) {
  const dir = new URL(Deno.args[0] ?? "../_build/islands/", import.meta.url);
  console.log(JSON.stringify(await firstVisitWeights(dir), null, 2));
}
