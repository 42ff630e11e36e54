/**
 * The key a client's requests are counted under for rate limits. It lives in
 * memory only, inside the token buckets, and is never written or logged.
 *
 * @module
 */

/**
 * The rate-limit key of a request: the connection's remote address, or with
 * `trustProxy` the last hop of `X-Forwarded-For` (the address the proxy saw).
 * IPv6 addresses are keyed by their /64 network, since one host usually holds
 * a whole /64.
 */
export function clientKey(
  req: Request,
  info: Deno.ServeHandlerInfo,
  options: { trustProxy?: boolean } = {},
): string {
  if (options.trustProxy) {
    const forwarded = req.headers.get("x-forwarded-for");
    const last = forwarded?.split(",").at(-1)?.trim();
    if (last) return addressKey(last);
  }
  const remote = info.remoteAddr;
  return "hostname" in remote ? addressKey(remote.hostname) : "local";
}

/** Normalizes an address: IPv4 as is, IPv6 to its /64 prefix. */
export function addressKey(address: string): string {
  const text = address.replace(/^\[|\]$/g, "").toLowerCase();
  if (!text.includes(":")) return text.slice(0, 64);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (mapped) return mapped[1];
  const groups = expandIpv6(text.replace(/%.*$/, ""));
  return groups === null ? text.slice(0, 64) : `${groups.slice(0, 4).join(":")}::/64`;
}

/** The eight groups of an IPv6 address, or null when it does not parse. */
function expandIpv6(text: string): string[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] === "" ? [] : halves[0].split(":");
  const tail = halves.length === 2 && halves[1] !== "" ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array(missing).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.replace(/^0+(?=.)/, ""));
}
