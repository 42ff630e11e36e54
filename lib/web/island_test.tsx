import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { island } from "./island.ts";
import { assertJson, collectIslands } from "./island_collect.ts";
import Counter from "./testdata/islands/Counter.tsx";
import Hello from "./testdata/islands/Hello.tsx";

Deno.test("island() records props and renders an island root", () => {
  const { result, islands } = collectIslands(() => renderToString(<Counter start={2} />));
  assert.deepEqual(islands, [{ name: "Counter", props: { start: 2 } }]);
  assert.match(
    result,
    /^<island-root data-name="Counter" data-props="0"><button type="button">Count: 2<\/button><\/island-root>$/,
  );
});

Deno.test("island() renders a nested island as a plain component", () => {
  const { result, islands } = collectIslands(() => renderToString(<Hello name="Eve" />));
  assert.deepEqual(islands.map((entry) => entry.name), ["Hello"]);
  assert.equal(result.match(/<island-root/g)?.length, 1);
});

Deno.test("island() renders the plain component outside a collection", () => {
  const html = renderToString(<Counter start={5} />);
  assert.equal(html, '<button type="button">Count: 5</button>');
  assert.equal(typeof Counter.component, "function");
  assert.equal(Counter.islandName, "Counter");
});

Deno.test("island() rejects props that are not plain JSON", () => {
  const Button = island("Button", (_props: { onClick: () => void }) => null);
  assert.throws(
    () => collectIslands(() => renderToString(<Button onClick={() => {}} />)),
    new TypeError(
      'Cannot serialize props of island "Button": value at "onClick" is of type "function"',
    ),
  );
});

Deno.test("assertJson() accepts plain JSON and rejects everything else", () => {
  assertJson({ a: [1, "x", null, true, { b: undefined }] }, "value");
  assert.throws(() => assertJson({ when: new Date() }, "value"), TypeError);
  assert.throws(() => assertJson([undefined], "value"), TypeError);
  assert.throws(() => assertJson({ n: NaN }, "value"), TypeError);
  assert.throws(() => assertJson({ n: 1n }, "value"), TypeError);
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.throws(() => assertJson(cycle, "value"), /circular reference/);
});
