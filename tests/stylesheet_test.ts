/**
 * The stylesheet's shape: every rule stands at the top level or directly in
 * an at-rule (`@media`, `@supports`…). A brace lost in an edit would nest every
 * later rule inside one selector, where CSS nesting makes it match nothing.
 */
import assert from "node:assert/strict";

const CSS = new URL("../static/app.css", import.meta.url);

/** The open blocks at each rule: `[line, selector]`, outermost first. */
function nestingErrors(text: string): string[] {
  const errors: string[] = [];
  const open: { line: number; head: string }[] = [];
  const body = text.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, " "));
  let line = 1;
  let head = "";
  for (const char of body) {
    if (char === "\n") line++;
    if (char === "{") {
      const selector = head.trim();
      if (open.length > 0 && !open.every((block) => block.head.startsWith("@"))) {
        errors.push(`line ${line}: "${selector}" is nested in "${open.at(-1)!.head}"`);
      }
      open.push({ line, head: selector });
      head = "";
    } else if (char === "}") {
      if (open.pop() === undefined) errors.push(`line ${line}: a "}" closes nothing`);
      head = "";
    } else if (char === ";") {
      head = "";
    } else {
      head += char;
    }
  }
  for (const block of open) errors.push(`line ${block.line}: "${block.head}" is never closed`);
  return errors;
}

Deno.test("static/app.css has every rule at the top level or in an at-rule, every brace closed", async () => {
  assert.deepEqual(nestingErrors(await Deno.readTextFile(CSS)), []);
});

Deno.test("the stylesheet check finds a lost closing brace", () => {
  const broken = ".a {\n  color: red;\n\n.b {\n  color: blue;\n}\n";
  assert.deepEqual(nestingErrors(broken), [
    'line 4: ".b" is nested in ".a"',
    'line 1: ".a" is never closed',
  ]);
  assert.deepEqual(nestingErrors("@media (x) {\n  .a { color: red; }\n}\n"), []);
});
