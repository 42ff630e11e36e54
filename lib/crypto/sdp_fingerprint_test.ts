import assert from "node:assert/strict";
import { sdpFingerprint } from "./sdp_fingerprint.ts";
import { FINGERPRINT, SDP } from "../../tests/fixtures/sdp.ts";

Deno.test("sdpFingerprint() reads the one DTLS fingerprint and refuses none, two or a weak one", () => {
  assert.equal(sdpFingerprint(SDP), FINGERPRINT);
  // Media-level copies of the same fingerprint count once; case does not matter.
  const twice = SDP +
    `a=fingerprint:${FINGERPRINT.toLowerCase().replace("sha-256", "SHA-256")}\r\n`;
  assert.equal(sdpFingerprint(twice), FINGERPRINT);
  assert.throws(() => sdpFingerprint(SDP.replace(/a=fingerprint.*\r\n/, "")), /found 0/);
  const other = FINGERPRINT.replace("6B", "6C");
  assert.throws(() => sdpFingerprint(SDP + `a=fingerprint:${other}\r\n`), /found 2/);
  const sha1 = "sha-1 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64";
  assert.throws(
    () => sdpFingerprint(SDP.replace(FINGERPRINT, sha1)),
    /not SHA-2/,
  );
});
