/**
 * The cryptography's cost in Deno and in Chromium: `bench/crypto_measure.ts`
 * runs here directly, and in a real Chromium (the system's, through
 * playwright-core) after `deno bundle` makes it a browser module served from
 * 127.0.0.1.
 *
 * @module
 */
import { launchChromium } from "../tests/fixtures/browser.ts";
import type { KemBackend } from "../lib/crypto/kem.ts";
import { type CryptoFigures, measureCrypto } from "./crypto_measure.ts";

/** Medians per runtime and ML-KEM backend. */
export type CryptoResults = Record<"deno" | "chromium", Partial<Record<KemBackend, CryptoFigures>>>;

const BACKENDS: KemBackend[] = ["webcrypto", "noble"];

/** Measures in Deno and in Chromium, `handshakes` and `messages` each. */
export async function benchCrypto(handshakes: number, messages: number): Promise<CryptoResults> {
  const results: CryptoResults = { deno: {}, chromium: {} };
  for (const backend of BACKENDS) {
    results.deno[backend] = await measureCrypto(backend, handshakes, messages);
  }
  results.chromium = await inChromium(handshakes, messages);
  return results;
}

async function inChromium(
  handshakes: number,
  messages: number,
): Promise<Partial<Record<KemBackend, CryptoFigures>>> {
  const dir = await Deno.makeTempDir({ prefix: "anon-bench-browser-" });
  const server = await bundleAndServe(dir);
  await using browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.base}/`);
    const figures: Partial<Record<KemBackend, CryptoFigures>> = {};
    for (const backend of BACKENDS) {
      figures[backend] = await page.evaluate(
        async ([backend, handshakes, messages]) => {
          const module = await import("/crypto_measure.js");
          return await module.measureCrypto(backend, handshakes, messages);
        },
        [backend, handshakes, messages] as const,
      );
    }
    return figures;
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Bundles the measure for the browser into `dir` and serves it with an empty page. */
async function bundleAndServe(dir: string): Promise<{ base: string; shutdown(): Promise<void> }> {
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--platform=browser",
      "--format=esm",
      "--code-splitting",
      `--outdir=${dir}`,
      new URL("crypto_measure.ts", import.meta.url).pathname,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) {
    throw new Error(`Cannot bundle the crypto measure: ${new TextDecoder().decode(stderr)}`);
  }
  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: resolve }, async (req) => {
    const name = new URL(req.url).pathname.slice(1);
    if (name === "") {
      return new Response("<!doctype html><title>crypto bench</title>", {
        headers: { "content-type": "text/html" },
      });
    }
    if (!/^[\w.-]+\.js$/.test(name)) return new Response("not found", { status: 404 });
    try {
      return new Response(await Deno.readFile(`${dir}/${name}`), {
        headers: { "content-type": "text/javascript" },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  const address = await listening;
  return { base: `http://127.0.0.1:${address.port}`, shutdown: () => server.shutdown() };
}

if (import.meta.main) console.log(JSON.stringify(await benchCrypto(20, 100), null, 2));
