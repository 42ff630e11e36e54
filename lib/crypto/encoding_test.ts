import assert from "node:assert/strict";
import { bytesEqual, concatBytes, decodeBase64Url, encodeBase64Url, utf8 } from "./encoding.ts";

Deno.test("encodeBase64Url() uses the URL-safe alphabet without padding", () => {
  assert.equal(encodeBase64Url(new Uint8Array()), "");
  assert.equal(encodeBase64Url(Uint8Array.of(0xfb, 0xff)), "-_8");
  assert.equal(encodeBase64Url(utf8("f")), "Zg");
  assert.equal(encodeBase64Url(utf8("foobar")), "Zm9vYmFy");
});

Deno.test("decodeBase64Url() round-trips every length and large inputs", () => {
  for (let length = 0; length < 70; length++) {
    const bytes = crypto.getRandomValues(new Uint8Array(length));
    assert.deepEqual(decodeBase64Url(encodeBase64Url(bytes)), bytes);
  }
  const large = new Uint8Array(200_000).map((_, i) => i);
  assert.deepEqual(decodeBase64Url(encodeBase64Url(large)), large);
});

Deno.test("decodeBase64Url() rejects padding, other alphabets and bad lengths", () => {
  for (
    const text of ["Zg==", "Zg=", "+/8", "Zm9v YmFy", "Zm9v\n", "Z", "Zm9vY"]
  ) {
    assert.throws(() => decodeBase64Url(text), TypeError, text);
  }
});

Deno.test("decodeBase64Url() rejects non-canonical trailing bits", () => {
  // "Zg" is canonical for "f"; "Zh" decodes to the same byte with stray bits.
  assert.deepEqual(decodeBase64Url("Zg"), utf8("f"));
  assert.throws(() => decodeBase64Url("Zh"), {
    name: "TypeError",
    message: "Cannot decode base64url: not canonical base64url",
  });
});

Deno.test("decodeBase64Url() checks the expected length and names the value", () => {
  assert.throws(
    () =>
      decodeBase64Url(encodeBase64Url(new Uint8Array(12)), {
        length: 64,
        name: "signature",
      }),
    {
      name: "TypeError",
      message: "Cannot decode signature: expected 64 bytes, got 12",
    },
  );
  assert.equal(
    decodeBase64Url(encodeBase64Url(new Uint8Array(64)), { length: 64 })
      .length,
    64,
  );
});

Deno.test("concatBytes() joins parts in order", () => {
  assert.deepEqual(
    concatBytes(Uint8Array.of(1), new Uint8Array(), Uint8Array.of(2, 3)),
    Uint8Array.of(1, 2, 3),
  );
  assert.deepEqual(concatBytes(), new Uint8Array());
});

Deno.test("bytesEqual() compares contents and lengths", () => {
  assert.equal(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2)), true);
  assert.equal(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3)), false);
  assert.equal(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1)), false);
  assert.equal(bytesEqual(new Uint8Array(), new Uint8Array()), true);
});
