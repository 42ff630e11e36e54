import assert from "node:assert/strict";
import { escapeJsonForHtml, renderPage } from "./render.tsx";
import Counter from "./testdata/islands/Counter.tsx";
import Hello from "./testdata/islands/Hello.tsx";

const LINE_SEPARATED = "a\u2028b";
const URL_ROOT = new URL("http://localhost/");

Deno.test("escapeJsonForHtml() escapes markup and line separators", () => {
  const value = { a: "</script><!-- & \u2028\u2029 >", b: [1, null] };
  const text = escapeJsonForHtml(value);
  assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
  assert.match(text, /\\u003c\/script\\u003e\\u003c!--/);
  assert.deepEqual(JSON.parse(text), value);
});

Deno.test("renderPage() adds one props block and one module script for islands", () => {
  const html = renderPage({
    Component: () => (
      <main>
        <Counter start={1} label="</script><!--" />
        <Hello name={LINE_SEPARATED} />
      </main>
    ),
    title: "Home",
    url: URL_ROOT,
    state: {},
    buildId: "0123456789abcdef",
  });
  assert.ok(html.startsWith("<!DOCTYPE html><html"));
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, [
    '<script type="application/json" id="__islands">',
    '<script type="module" src="/_islands/0123456789abcdef/boot.js">',
  ]);
  assert.ok(html.endsWith("</script></body></html>"));
  const json = /id="__islands">(.*?)<\/script>/.exec(html)![1];
  assert.deepEqual(JSON.parse(json), [
    { start: 1, label: "</script><!--" },
    { name: "a\u2028b" },
  ]);
  assert.match(html, /<island-root data-name="Counter" data-props="0">/);
  assert.match(html, /<island-root data-name="Hello" data-props="1">/);
  assert.equal(html.match(/<island-root/g)?.length, 2);
});

Deno.test("renderPage() adds no script to a page without islands", () => {
  const html = renderPage({
    Component: () => <p>Static</p>,
    title: "A <title>",
    url: URL_ROOT,
    state: {},
    buildId: "0123456789abcdef",
  });
  assert.doesNotMatch(html, /<script/);
  assert.match(html, /<title>A &lt;title><\/title>/);
});

Deno.test("renderPage() throws when islands are not built", () => {
  assert.throws(
    () =>
      renderPage({
        Component: () => <Counter start={1} />,
        title: "",
        url: URL_ROOT,
        state: {},
        buildId: null,
      }),
    new Error('Cannot render islands "Counter": islands are not built'),
  );
});
