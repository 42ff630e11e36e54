import "../../lib/i18n/use_english.ts";
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { type StoredMessage, withMessageDefaults } from "../../lib/client/storage.ts";
import { MessageList } from "./MessageList.tsx";

function timerNotice(direction: "in" | "out", status: StoredMessage["status"]): StoredMessage {
  return withMessageDefaults({
    conversationId: "01JGZ0000000000000000000C2",
    id: "01JGZ0000000000000000000M1",
    direction,
    kind: "timer",
    text: "",
    sentAt: 0,
    status,
    envelope: null,
    timer: 300,
  });
}

function render(message: StoredMessage): string {
  return renderToString(
    <MessageList messages={[message]} transfers={{}} getFile={() => Promise.resolve(undefined)} />,
  );
}

Deno.test("a timer change shows as pending until the other person's receipt arrives", () => {
  const pending = /not yet received by the other person/;
  assert.match(render(timerNotice("out", "pending")), pending);
  assert.match(render(timerNotice("out", "sent")), pending);
  assert.doesNotMatch(render(timerNotice("out", "delivered")), pending);
  assert.doesNotMatch(render(timerNotice("out", "read")), pending);
  assert.doesNotMatch(render(timerNotice("in", "received")), pending);
});
