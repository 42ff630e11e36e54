/** The server process itself: HTTPS when configured, and a graceful stop. */
import assert from "node:assert/strict";
import { startServerProcess } from "./fixtures/server_process.ts";
import { Peer } from "./fixtures/peer.ts";
import { RawSocket } from "./fixtures/raw_socket.ts";
import { startTestServer } from "./fixtures/server.ts";

/** A self-signed certificate for 127.0.0.1, made with openssl for this run. */
async function selfSignedCertificate(dir: string) {
  const cert = `${dir}/cert.pem`;
  const key = `${dir}/key.pem`;
  const { code, stderr } = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
      "-addext",
      "extendedKeyUsage=serverAuth",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return { cert, key };
}

Deno.test("with TLS_CERT and TLS_KEY the server speaks HTTPS and sends HSTS", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { cert, key } = await selfSignedCertificate(dir);
    await using server = await startTestServer({ TLS_CERT: cert, TLS_KEY: key });
    assert.equal(server.url.protocol, "https:");
    using client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(cert)] });
    // Deno's fetch takes a `client`; the DOM's RequestInit type does not list it.
    const init: RequestInit & { client: Deno.HttpClient } = { client };
    const response = await fetch(`${server.url.origin}/healthz`, init);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
    assert.match(response.headers.get("strict-transport-security") ?? "", /max-age=\d+/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plain HTTP sends no HSTS header", async () => {
  await using server = await startTestServer();
  const response = await fetch(`${server.base}/healthz`);
  await response.body?.cancel();
  assert.equal(response.headers.get("strict-transport-security"), null);
});

Deno.test("a start with half a TLS configuration is refused with a clear message", async () => {
  await assert.rejects(
    () => startTestServer({ TLS_CERT: "/nonexistent.pem" }),
    /TLS_CERT and TLS_KEY/,
  );
});

Deno.test("SIGTERM closes every socket with 1001 and exits cleanly", async () => {
  await using server = await startServerProcess();
  const adam = new Peer(server.base);
  await adam.create();
  const socket = await RawSocket.open(server.base, adam.conversationId);
  assert.equal((await socket.next()).type, "challenge");
  const code = await server.terminate();
  assert.equal(code, 0);
  assert.equal((await socket.closed).code, 1001);
  // The conversation survives the restart: only messages are never kept.
  assert.equal((await Array.fromAsync(Deno.readDir(server.dataDir))).length, 1);
});
