/**
 * The DTLS certificate fingerprint a session description declares, which a
 * call checks against the one its browser negotiated (`call_fingerprint.ts`).
 * Only the call code, fetched when a call starts or rings, needs it.
 *
 * @module
 */

/**
 * The DTLS certificate fingerprint a session description declares, as
 * `sha-256 AB:CD:…` in upper case; throws unless there is exactly one
 * (session- or media-level lines that all agree count as one).
 */
export function sdpFingerprint(sdp: string): string {
  const found = new Set<string>();
  for (const match of sdp.matchAll(/^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\r?$/gm)) {
    found.add(`${match[1].toLowerCase()} ${match[2].toUpperCase()}`);
  }
  if (found.size !== 1) {
    throw new TypeError(
      `Invalid session description: expected one DTLS fingerprint, found ${found.size}`,
    );
  }
  const [fingerprint] = found;
  if (!/^sha-(256|384|512) ([0-9A-F]{2}:)+[0-9A-F]{2}$/.test(fingerprint)) {
    throw new TypeError("Invalid session description: the DTLS fingerprint is not SHA-2");
  }
  return fingerprint;
}
