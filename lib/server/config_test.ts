import assert from "node:assert/strict";
import { loadConfig } from "./config.ts";

Deno.test("loadConfig() gives safe defaults for every limit", () => {
  const config = loadConfig({});
  assert.equal(config.createPerMinute, 10);
  assert.equal(config.joinPerMinute, 20);
  assert.equal(config.connectPerMinute, 60);
  assert.equal(config.maxSocketsPerParticipant, 4);
  assert.equal(config.maxSockets, 10_000);
  assert.equal(config.maxSocketsPerAddress, 64);
  assert.equal(config.idleTimeoutMs, 30_000);
  assert.equal(config.sendPerSecond, 100);
  assert.equal(config.sendBytesPerSecond, 8 * 1024 * 1024);
  assert.equal(config.trustProxy, false);
  assert.deepEqual(config.publicOrigins, []);
});

Deno.test("loadConfig() reads PUBLIC_ORIGIN as a list of plain origins", () => {
  assert.deepEqual(
    loadConfig({ PUBLIC_ORIGIN: "https://Chat.Example, https://chat.example:8443/" }).publicOrigins,
    ["https://chat.example", "https://chat.example:8443"],
  );
  assert.deepEqual(loadConfig({ PUBLIC_ORIGIN: "https://chat.example:443" }).publicOrigins, [
    "https://chat.example",
  ]);
  for (const bad of ["chat.example", "https://chat.example/app", "ftp://chat.example", "null"]) {
    assert.throws(
      () => loadConfig({ PUBLIC_ORIGIN: bad }),
      /Invalid PUBLIC_ORIGIN .*: expected origins such as https:\/\/chat.example/,
      bad,
    );
  }
});

Deno.test("loadConfig() reads the limits and refuses values out of range", () => {
  const config = loadConfig({ CREATE_PER_MINUTE: "3", TRUST_PROXY: "1", IDLE_TIMEOUT_MS: "5000" });
  assert.equal(config.createPerMinute, 3);
  assert.equal(config.trustProxy, true);
  assert.equal(config.idleTimeoutMs, 5000);
  assert.throws(() => loadConfig({ MAX_SOCKETS: "0" }), /Invalid MAX_SOCKETS "0"/);
  assert.equal(loadConfig({ MAX_SOCKETS_PER_ADDRESS: "2" }).maxSocketsPerAddress, 2);
  assert.throws(
    () => loadConfig({ MAX_SOCKETS_PER_ADDRESS: "0" }),
    /Invalid MAX_SOCKETS_PER_ADDRESS "0"/,
  );
  assert.throws(() => loadConfig({ SEND_PER_SECOND: "fast" }), /Invalid SEND_PER_SECOND/);
  assert.throws(() => loadConfig({ IDLE_TIMEOUT_MS: "10" }), /from 1000 to/);
  assert.throws(() => loadConfig({ TRUST_PROXY: "yes" }), /Invalid TRUST_PROXY "yes"/);
});

Deno.test("loadConfig() reads REDIS_URL and refuses Redis mode without a RATE_LIMIT_SECRET", () => {
  assert.equal(loadConfig({}).redisUrl, undefined);
  const secret = "s".repeat(32);
  for (const url of ["redis://127.0.0.1:6379", "unix:///run/redis/redis.sock"]) {
    assert.equal(loadConfig({ REDIS_URL: url, RATE_LIMIT_SECRET: secret }).redisUrl, url);
  }
  assert.throws(() => loadConfig({ REDIS_URL: "127.0.0.1:6379", RATE_LIMIT_SECRET: secret }), {
    message: /Invalid REDIS_URL/,
  });
  assert.throws(() => loadConfig({ REDIS_URL: "redis://127.0.0.1:6379" }), {
    message: /Invalid RATE_LIMIT_SECRET: with REDIS_URL set/,
  });
  assert.throws(
    () => loadConfig({ REDIS_URL: "redis://127.0.0.1:6379", RATE_LIMIT_SECRET: "short" }),
    { message: /at least 32 characters/ },
  );
});
