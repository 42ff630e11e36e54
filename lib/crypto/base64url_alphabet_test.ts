import assert from "node:assert/strict";
import { isBase64UrlAlphabet } from "./base64url_alphabet.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const REFERENCE = /^[A-Za-z0-9_-]*$/;

function alphabetText(length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += ALPHABET[(i * 7 + (i >> 3)) % 64];
  return text;
}

Deno.test("isBase64UrlAlphabet() accepts the alphabet at every length around its steps", () => {
  for (const length of [0, 1, 255, 256, 257, 16383, 16384, 16385, 40000]) {
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
  for (const length of [300, 16384, 16385, 40000]) {
    const base = alphabetText(length);
    for (const position of [0, 1, length >> 1, 16383, 16384, length - 1]) {
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
