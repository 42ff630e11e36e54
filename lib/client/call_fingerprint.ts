/**
 * The check that a call's DTLS connection is with the endpoint the peer
 * named inside the session: the fingerprint of the certificate the browser
 * actually negotiated (from `getStats()`: the transport's
 * `remoteCertificateId`, and that `certificate` report) must equal the one
 * in the SDP the peer sent sealed. A relay cannot alter sealed SDP; this
 * catches anything between the session and the media stack that could.
 *
 * @module
 */

/** What the check reads of a stats report: entries by ID, as `RTCStatsReport` has. */
export type StatsLike = ReadonlyMap<string, Record<string, unknown>>;

/**
 * The negotiated remote certificate fingerprint as `sha-256 AB:CD:…`, or
 * null when no transport has finished DTLS with a remote certificate yet.
 * Throws when transports disagree (there is one with BUNDLE).
 */
export function negotiatedFingerprint(stats: StatsLike): string | null {
  const found = new Set<string>();
  for (const report of stats.values()) {
    if (report.type !== "transport" || typeof report.remoteCertificateId !== "string") continue;
    const certificate = stats.get(report.remoteCertificateId);
    if (
      certificate?.type !== "certificate" || typeof certificate.fingerprint !== "string" ||
      typeof certificate.fingerprintAlgorithm !== "string"
    ) continue;
    found.add(
      `${certificate.fingerprintAlgorithm.toLowerCase()} ${certificate.fingerprint.toUpperCase()}`,
    );
  }
  if (found.size > 1) throw new Error("Cannot check the call: transports disagree on the peer");
  const [fingerprint] = found;
  return fingerprint ?? null;
}

/**
 * Whether the negotiated fingerprint is the one the peer sent inside the
 * session (`expected`, as `sdpFingerprint()` reads it): "match", "mismatch",
 * or "unknown" while no remote certificate is reported.
 */
export function checkFingerprint(
  stats: StatsLike,
  expected: string,
): "match" | "mismatch" | "unknown" {
  let actual;
  try {
    actual = negotiatedFingerprint(stats);
  } catch {
    return "mismatch";
  }
  if (actual === null) return "unknown";
  return actual === expected ? "match" : "mismatch";
}
