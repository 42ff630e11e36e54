import assert from "node:assert/strict";
import { checkFingerprint, negotiatedFingerprint, type StatsLike } from "./call_fingerprint.ts";

const HEX = Array(32).fill("ab").join(":");
const EXPECTED = `sha-256 ${HEX.toUpperCase()}`;

function stats(fingerprint: string, algorithm = "sha-256"): StatsLike {
  return new Map<string, Record<string, unknown>>([
    ["T01", { type: "transport", remoteCertificateId: "CFremote", localCertificateId: "CFlocal" }],
    ["CFremote", { type: "certificate", fingerprint, fingerprintAlgorithm: algorithm }],
    ["CFlocal", { type: "certificate", fingerprint: "00:11", fingerprintAlgorithm: "sha-256" }],
    ["IT01", { type: "inbound-rtp", kind: "audio" }],
  ]);
}

Deno.test("the negotiated fingerprint is read from the transport's remote certificate", () => {
  assert.equal(negotiatedFingerprint(stats(HEX)), EXPECTED);
  assert.equal(checkFingerprint(stats(HEX), EXPECTED), "match");
});

Deno.test("a negotiated fingerprint other than the one sent in the session is a mismatch", () => {
  assert.equal(checkFingerprint(stats(HEX.replace("ab", "ac")), EXPECTED), "mismatch");
  assert.equal(checkFingerprint(stats(HEX, "sha-384"), EXPECTED), "mismatch");
  const two = new Map([...stats(HEX), ...[
    ["T02", { type: "transport", remoteCertificateId: "CF2" }],
    ["CF2", { type: "certificate", fingerprint: "cd:ef", fingerprintAlgorithm: "sha-256" }],
  ] as [string, Record<string, unknown>][]]);
  assert.equal(checkFingerprint(two, EXPECTED), "mismatch", "two transports that disagree");
});

Deno.test("before DTLS has finished the check says unknown, never match", () => {
  const none = new Map([["T01", { type: "transport" }]]);
  assert.equal(checkFingerprint(none, EXPECTED), "unknown");
  const dangling = new Map([["T01", { type: "transport", remoteCertificateId: "gone" }]]);
  assert.equal(checkFingerprint(dangling, EXPECTED), "unknown");
});
