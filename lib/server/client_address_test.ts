import assert from "node:assert/strict";
import { addressKey, clientKey } from "./client_address.ts";

function info(hostname: string): Deno.ServeHandlerInfo {
  return {
    remoteAddr: { transport: "tcp", hostname, port: 1234 },
    completed: Promise.resolve(),
  };
}

Deno.test("addressKey() keeps IPv4 and keys IPv6 by its /64", () => {
  assert.equal(addressKey("203.0.113.7"), "203.0.113.7");
  assert.equal(addressKey("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  assert.equal(addressKey("2001:DB8:1:2::9"), "2001:db8:1:2::/64");
  assert.equal(addressKey("[2001:db8::1]"), "2001:db8:0:0::/64");
  assert.equal(addressKey("::ffff:192.0.2.1"), "192.0.2.1");
  assert.equal(addressKey("::1"), "0:0:0:0::/64");
});

Deno.test("clientKey() ignores X-Forwarded-For unless the proxy is trusted", () => {
  const req = new Request("http://x/", {
    headers: { "x-forwarded-for": "198.51.100.1, 203.0.113.9" },
  });
  assert.equal(clientKey(req, info("127.0.0.1")), "127.0.0.1");
  assert.equal(clientKey(req, info("127.0.0.1"), { trustProxy: true }), "203.0.113.9");
  assert.equal(
    clientKey(new Request("http://x/"), info("127.0.0.1"), { trustProxy: true }),
    "127.0.0.1",
  );
});
