import "../../lib/i18n/use_english.ts";
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { type StoredMessage, withMessageDefaults } from "../../lib/client/storage.ts";
import { MessageBody } from "./MessageBody.tsx";

function text(id: string, fields: Partial<StoredMessage> = {}): StoredMessage {
  return withMessageDefaults({
    conversationId: "01JGZ0000000000000000000C2",
    id,
    direction: "in",
    kind: "text",
    text: "hello",
    sentAt: 0,
    status: "received",
    envelope: null,
    ...fields,
  });
}

function render(message: StoredMessage, messages: StoredMessage[] = [message]): string {
  return renderToString(
    <MessageBody
      message={message}
      messages={messages}
      sent={undefined}
      getFile={() => Promise.resolve(undefined)}
    />,
  );
}

Deno.test("a message deleted for both shows Message deleted and nothing it said", () => {
  const html = render(text("01JGZ0000000000000000000M1", { deleted: "both", text: "" }));
  assert.match(html, /Message deleted/);
  assert.doesNotMatch(html, /hello/);
});

Deno.test("a reply's quote is this browser's copy of the original, or says it is gone", () => {
  const original = text("01JGZ0000000000000000000M1", { text: "local copy", direction: "out" });
  const reply = text("01JGZ0000000000000000000M2", { replyTo: original.id, text: "answer" });
  assert.match(render(reply, [original, reply]), /You<\/span>.*local copy.*answer/s);
  assert.match(render(reply, [reply]), /The original message is not available/);
  const deleted = { ...original, text: "", deleted: "both" as const };
  assert.match(render(reply, [deleted, reply]), /Message deleted/);
});

Deno.test("text is escaped, links get rel and target, and reactions say whose they are", () => {
  const html = render(text("01JGZ0000000000000000000M1", {
    text: "<b>x</b> https://example.com/a javascript:alert(1)",
    reactions: { in: { emoji: "👍", id: "01JGZ0000000000000000000M3" } },
  }));
  assert.match(html, /&lt;b>x&lt;\/b>/);
  assert.match(
    html,
    /<a href="https:\/\/example.com\/a" target="_blank" rel="noopener noreferrer">/,
  );
  assert.equal(html.match(/<a /g)?.length, 1);
  assert.match(html, /They reacted 👍/);
});
