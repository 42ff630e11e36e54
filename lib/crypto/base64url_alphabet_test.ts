import assert from "node:assert/strict";
import { isBase64UrlAlphabet, isBase64UrlAlphabetIn } from "./base64url_alphabet.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const REFERENCE = /^[A-Za-z0-9_-]*$/;

function alphabetText(length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += ALPHABET[(i * 7 + (i >> 3)) % 64];
  return text;
}

Deno.test("isBase64UrlAlphabet() accepts the alphabet at every length around its steps", () => {
  for (const length of [0, 1, 255, 256, 257, 16383, 16384, 16385, 40000, 65535, 65536, 65537]) {
    assert.equal(isBase64UrlAlphabet(alphabetText(length)), true, `length ${length}`);
  }
});

Deno.test("isBase64UrlAlphabet() refuses one foreign character anywhere in a long body", () => {
  const foreign = [
    "=",
    "+",
    "/",
    ".",
    " ",
    "\0",
    "\x7f",
    "\x80",
    "é",
    "\u2028",
    "€",
    "\ud800",
    "😀",
  ];
  for (const length of [300, 16384, 16385, 40000, 65536, 65539]) {
    const base = alphabetText(length);
    for (const position of [0, 1, length >> 1, 16383, 16384, 65535, 65536, length - 1]) {
      if (position >= length) continue;
      for (const char of foreign) {
        const text = base.slice(0, position) + char + base.slice(position + 1);
        assert.equal(isBase64UrlAlphabet(text), false, `${JSON.stringify(char)} at ${position}`);
        assert.equal(REFERENCE.test(text), false);
      }
    }
  }
});

Deno.test("isBase64UrlAlphabet() agrees with the regular expression on every byte value", () => {
  const base = alphabetText(1000);
  for (let code = 0; code < 0x300; code++) {
    const text = base + String.fromCharCode(code) + base;
    assert.equal(isBase64UrlAlphabet(text), REFERENCE.test(text), `U+${code.toString(16)}`);
  }
});

Deno.test("isBase64UrlAlphabet() refuses whitespace and padding, which a base64 decoder skips", () => {
  for (const length of [256, 400, 16384, 16387, 40000]) {
    const base = alphabetText(length);
    for (const position of [0, 3, 4, length >> 1, 16383, length - 4, length - 2, length - 1]) {
      if (position >= length) continue;
      for (const char of ["\t", "\n", "\f", "\r", " ", "=", "==", "\u00a0", "\ufeff"]) {
        const replaced = base.slice(0, position) + char + base.slice(position + char.length);
        const inserted = base.slice(0, position) + char + base.slice(position);
        for (const text of [replaced, inserted, base + char, char + base]) {
          assert.equal(isBase64UrlAlphabet(text), false, `${JSON.stringify(char)} at ${position}`);
        }
      }
    }
    assert.equal(isBase64UrlAlphabet(base.slice(0, -2) + "=="), false);
    assert.equal(isBase64UrlAlphabet(base.slice(0, -1) + "="), false);
  }
});

Deno.test("isBase64UrlAlphabetIn() checks only its range of a frame, with known answers", () => {
  const frame = '{"body":"AQ_-"}';
  assert.equal(isBase64UrlAlphabetIn(frame, 9, 13), true);
  assert.equal(isBase64UrlAlphabetIn(frame, 9, 9), true, "an empty range");
  assert.equal(isBase64UrlAlphabetIn(frame, 8, 13), false, "the opening quote");
  assert.equal(isBase64UrlAlphabetIn(frame, 9, 14), false, "the closing quote");
  for (const length of [255, 256, 1368, 21848, 65536, 65537, 70000]) {
    const body = alphabetText(length);
    for (const [head, tail] of [['{"body":"', '"}'], ["=", "="], ["\u00e9", "+"]]) {
      const text = head + body + tail;
      const end = head.length + length;
      assert.equal(isBase64UrlAlphabetIn(text, head.length, end), true, `${length} ${head}`);
      assert.equal(isBase64UrlAlphabetIn(text, head.length - 1, end), false, `${length} ${head}`);
      assert.equal(isBase64UrlAlphabetIn(text, head.length, end + 1), false, `${length} ${tail}`);
      for (const at of [0, 1, length >> 1, length - 4, length - 1]) {
        const spoiled = head + body.slice(0, at) + "=" + body.slice(at + 1) + tail;
        assert.equal(isBase64UrlAlphabetIn(spoiled, head.length, end), false, `"=" at ${at}`);
      }
    }
  }
});
