/**
 * The base64url check of the relay's hot path decodes nothing; these
 * properties hold it to the verdicts of the strict decode-and-re-encode it
 * replaced, on random and mutated text, so no body refused before passes now.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { checkBase64Url, decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import { parseClientFrame } from "./client_frames.ts";
import { expectBase64Url, ProtocolError } from "./validate.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** Characters near the alphabet that other base64 dialects or sloppy input use. */
const INTRUDERS = ["=", "+", "/", " ", "\n", "\t", ".", "é", "\u0000", "\uFEFF", "A\u0301"];

/** The check as it was: decode with `atob`, re-encode, compare. */
function reference(text: string, length?: number): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return "not base64url";
  if (text.length % 4 === 1) return "bad length";
  let binary: string;
  try {
    binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return "atob refused";
  }
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (encodeBase64Url(bytes) !== text) return "not canonical";
  if (length !== undefined && bytes.length !== length) return "wrong length";
  return null;
}

/** The new check's verdict: null when accepted, else its error message. */
function verdict(check: () => unknown): string | null {
  try {
    check();
    return null;
  } catch (error) {
    assert.ok(error instanceof TypeError, `unexpected ${String(error)}`);
    return (error as Error).message;
  }
}

/** Random text over the alphabet, with and without intruders. */
const nearText = fc.string({
  unit: fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom(...ALPHABET) },
    { weight: 1, arbitrary: fc.constantFrom(...INTRUDERS) },
  ),
  maxLength: 64,
});

/** A valid encoding with one character changed, cut, added or its tail replaced. */
const mutatedEncoding = fc.tuple(
  fc.uint8Array({ maxLength: 48 }),
  fc.nat(),
  fc.constantFrom(...ALPHABET, ...INTRUDERS),
).map(([bytes, n, char]) => {
  const text = encodeBase64Url(bytes);
  const at = text.length === 0 ? 0 : n % text.length;
  switch (n % 5) {
    case 0:
      return text.slice(0, at) + char + text.slice(at + 1);
    case 1:
      return text.slice(0, -1) + char;
    case 2:
      return text.slice(0, at);
    case 3:
      return text + char;
    default:
      return text;
  }
});

const anyText = fc.oneof(nearText, mutatedEncoding, fc.string(), fc.string({ unit: "binary" }));

Deno.test("the base64url check without decoding gives the verdicts of decode and re-encode on random and mutated text", () => {
  fc.assert(
    fc.property(anyText, fc.option(fc.nat({ max: 40 }), { nil: undefined }), (text, length) => {
      const expected = reference(text, length);
      const checked = verdict(() => checkBase64Url(text, { length }));
      assert.equal(checked === null, expected === null, `${JSON.stringify(text)}: ${checked}`);
      const decoded = verdict(() => decodeBase64Url(text, { length }));
      assert.equal(decoded, checked);
      if (checked === null) {
        // Accepted text decodes to the bytes it spells, of the length reported.
        const bytes = decodeBase64Url(text);
        assert.equal(encodeBase64Url(bytes), text);
        assert.equal(checkBase64Url(text), bytes.length);
      }
      let protocol: string | null = null;
      try {
        expectBase64Url(text, "body", length);
      } catch (error) {
        assert.ok(error instanceof ProtocolError);
        protocol = (error as Error).message;
      }
      assert.equal(protocol === null, expected === null);
    }),
    { numRuns: 20_000 },
  );
});

Deno.test("every last character of every length mod 4 is accepted exactly when decode and re-encode accepts it", () => {
  for (const prefix of ["", "AAAA", "AB", "ABC", "ABCDE"]) {
    for (const char of [...ALPHABET, ...INTRUDERS]) {
      const text = prefix + char;
      assert.equal(
        verdict(() => checkBase64Url(text)) === null,
        reference(text) === null,
        JSON.stringify(text),
      );
    }
  }
});

Deno.test("a send frame is refused exactly when its body fails decode and re-encode", () => {
  const ID = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";
  const PEER = "01JD3Q8Z5W0000000000000000";
  fc.assert(
    fc.property(anyText, (body) => {
      const text = JSON.stringify({ type: "send", id: ID, to: PEER, body });
      let accepted = true;
      try {
        parseClientFrame(text, { maxBodyLength: 4096 });
      } catch (error) {
        assert.ok(error instanceof ProtocolError);
        accepted = false;
      }
      assert.equal(accepted, reference(body) === null, JSON.stringify(body));
    }),
    { numRuns: 5000 },
  );
});
