import assert from "node:assert/strict";
import { isEmojiOnly, linkify } from "./message_text.ts";

Deno.test("http and https links are cut out; the sentence's punctuation stays outside", () => {
  assert.deepEqual(linkify("see https://example.com/a?b=1, and http://x.test."), [
    { text: "see " },
    { text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
    { text: ", and " },
    { text: "http://x.test", href: "http://x.test/" },
    { text: "." },
  ]);
  assert.deepEqual(linkify("(https://en.wikipedia.org/wiki/Tor_(network))"), [
    { text: "(" },
    {
      text: "https://en.wikipedia.org/wiki/Tor_(network))",
      href: "https://en.wikipedia.org/wiki/Tor_(network))",
    },
  ]);
});

Deno.test("javascript:, data: and other schemes are never linked", () => {
  for (
    const text of [
      "javascript:alert(1)",
      "JavaScript://%0aalert(1)",
      "data:text/html,<script>alert(1)</script>",
      "ftp://example.com",
      "file:///etc/passwd",
      "www.example.com",
      "https://",
    ]
  ) {
    assert.ok(linkify(text).every((p) => p.href === undefined), text);
  }
});

Deno.test("one to three emoji alone count as emoji only", () => {
  for (const text of ["👍", "❤️", "😂😂", " 🇩🇪 🎉 ", "👩‍👩‍👧", "👍🏽👍🏽👍🏽"]) {
    assert.ok(isEmojiOnly(text), text);
  }
  for (const text of ["", "ok 👍", "👍👍👍👍", "1", "#", "hi", "1️⃣"]) {
    assert.ok(!isEmojiOnly(text), text);
  }
});
