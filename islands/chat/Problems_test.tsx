import "../../lib/i18n/use_english.ts";
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import type { Problem } from "../../lib/client/client_state.ts";
import { Problems } from "./Problems.tsx";

const NOT_LOADED = "A message could not be opened because part of the page did not load";
const FORGED = "A message failed verification and was discarded";

function render(problems: Problem[]): string {
  return renderToString(
    <Problems problems={problems} onAcknowledge={() => {}} canReset onReset={() => {}} />,
  );
}

Deno.test("a part of the page that did not load is not called a security warning, and offers a reload", () => {
  const html = render([{ id: 1, kind: "load", message: NOT_LOADED }]);
  assert.match(html, /<strong>Part of the page did not load<\/strong>/);
  assert.match(html, /banner-warning/);
  assert.doesNotMatch(html, /Security warning|tampering|banner-danger/);
  assert.match(html, />Reload the page</);
  assert.match(html, />I understand, resume sending</);
  assert.doesNotMatch(html, /Reset secure session/);
});

Deno.test("a failed check beside a part that did not load still shows as a security warning", () => {
  const html = render([
    { id: 1, kind: "load", message: NOT_LOADED },
    { id: 2, kind: "message", message: FORGED },
  ]);
  assert.match(html, /<strong>Security warning<\/strong>/);
  assert.match(html, /banner-danger/);
  assert.match(html, /tampering/);
  assert.ok(html.includes(NOT_LOADED) && html.includes(FORGED));
  assert.match(html, /Reset secure session/);
  assert.doesNotMatch(html, /Reload the page/);
});

Deno.test("untrusted keys show no way to resume, whatever else is listed", () => {
  const html = render([
    { id: 1, kind: "keys", message: "The server's record does not match" },
    { id: 2, kind: "load", message: NOT_LOADED },
  ]);
  assert.match(html, /<strong>Security warning<\/strong>/);
  assert.match(html, /cannot be trusted/);
  assert.doesNotMatch(html, /resume sending|Reload the page/);
});
