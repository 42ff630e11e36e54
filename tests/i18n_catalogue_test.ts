/**
 * The message catalogue is complete and the interface takes every word from
 * it: each locale has exactly English's keys with the same placeholders, a
 * glossary with English's terms, and no text a person can see is written in
 * `routes/`, `islands/` or `components/` outside the catalogue.
 */
import assert from "node:assert/strict";
import ts from "typescript";
import { GLOSSARY_FILE, readLocaleMessages } from "../lib/i18n/catalogue_files.ts";
import { LOCALES, SOURCE_LOCALE } from "../lib/i18n/locales.ts";
import { argumentsOf, type Node, parseMessage } from "../lib/i18n/message_format.ts";

const ROOT = new URL("../", import.meta.url);
const LOCALES_DIR = new URL("locales/", ROOT);
const english = await readLocaleMessages(new URL(`${SOURCE_LOCALE}/`, LOCALES_DIR));

/** Attributes whose text a person sees or hears. */
const SPOKEN_ATTRIBUTES = new Set([
  "aria-label",
  "aria-description",
  "aria-roledescription",
  "aria-valuetext",
  "title",
  "placeholder",
  "alt",
  "label",
  "actionLabel",
]);
/** Text with a letter in it (of any script). */
const WORDY = /\p{L}/u;
/** A line that holds text on purpose (a brand mark, a code sample) says so. */
const IGNORE = "i18n-ignore";

async function sourceFiles(dir: URL): Promise<URL[]> {
  const files: URL[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) files.push(...await sourceFiles(url));
    else if (/\.tsx?$/.test(entry.name) && !/_test\.tsx?$/.test(entry.name)) files.push(url);
  }
  return files;
}

/** Every piece of visible text written in a source file, with its line. */
export function writtenText(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TSX,
  );
  const lines = source.split("\n");
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => {
    const line = file.getLineAndCharacterOfPosition(node.getStart()).line;
    if (lines[line].includes(IGNORE) || lines[line - 1]?.includes(IGNORE)) return;
    found.push(`${fileName}:${line + 1}: ${JSON.stringify(text.trim())}`);
  };
  const literalText = (node: ts.Node): string | undefined =>
    ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
      ? node.text
      : ts.isTemplateExpression(node)
      ? [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(" ")
      : undefined;
  /** String literals a JSX child expression can show: `{a ? "Yes" : "No"}`, `{x ?? "None"}`. */
  const shown = (node: ts.Node) => {
    const text = literalText(node);
    if (text !== undefined) {
      if (WORDY.test(text)) report(node, text);
      return;
    }
    if (ts.isParenthesizedExpression(node)) shown(node.expression);
    else if (ts.isConditionalExpression(node)) {
      shown(node.whenTrue);
      shown(node.whenFalse);
    } else if (
      ts.isBinaryExpression(node) &&
      [
        ts.SyntaxKind.BarBarToken,
        ts.SyntaxKind.QuestionQuestionToken,
        ts.SyntaxKind.AmpersandAmpersandToken,
      ]
        .includes(node.operatorToken.kind)
    ) {
      shown(node.left);
      shown(node.right);
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && WORDY.test(node.text)) report(node, node.text);
    if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent)) {
      shown(node.expression);
    }
    if (ts.isJsxAttribute(node) && SPOKEN_ATTRIBUTES.has(node.name.getText()) && node.initializer) {
      if (ts.isStringLiteral(node.initializer)) {
        if (WORDY.test(node.initializer.text)) report(node, node.initializer.text);
      } else if (ts.isJsxExpression(node.initializer) && node.initializer.expression) {
        shown(node.initializer.expression);
      }
    }
    // Words kept in constants for the interface: { label: "Light" }.
    if (
      ts.isPropertyAssignment(node) &&
      /^(label|title|text|hint|message|description|heading|sentence)$/.test(node.name.getText())
    ) {
      shown(node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

Deno.test("the written-text finder finds text in JSX, spoken attributes and label constants", () => {
  const found = writtenText(
    "x.tsx",
    `const A = [{ value: 1, label: "Light" }];
     export const B = () => <p class="lede" aria-label={x ? "Open" : k}>Hello {n ?? "none"}<b>{t("k")}</b>
       <img alt="" /> {"·"} <i title="Close">{3}</i></p>;
     // i18n-ignore
     const C = <span>Brand</span>;`,
  );
  assert.deepEqual(found.map((line) => line.split(": ")[1]), [
    '"Light"',
    '"Open"',
    '"Hello"',
    '"none"',
    '"Close"',
  ]);
});

Deno.test("no user-visible text in routes, islands or components is outside the catalogue", async () => {
  const found: string[] = [];
  for (const dir of ["routes/", "islands/", "components/"]) {
    for (const url of await sourceFiles(new URL(dir, ROOT))) {
      const name = url.pathname.slice(ROOT.pathname.length);
      found.push(...writtenText(name, await Deno.readTextFile(url)));
    }
  }
  assert.deepEqual(found, [], `Text written outside the catalogue:\n${found.join("\n")}`);
});

Deno.test("every key the code asks for is in the English catalogue", async () => {
  const missing: string[] = [];
  for (const dir of ["routes/", "islands/", "components/", "lib/"]) {
    for (const url of await sourceFiles(new URL(dir, ROOT))) {
      if (url.pathname.includes("/lib/i18n/")) continue;
      const source = await Deno.readTextFile(url);
      for (const match of source.matchAll(/\btx?\(\s*"([a-z_]+\.[a-z0-9_.]+)"/g)) {
        if (!Object.hasOwn(english, match[1])) {
          missing.push(`${url.pathname.slice(ROOT.pathname.length)}: ${match[1]}`);
        }
      }
    }
  }
  assert.deepEqual(missing, [], `Keys missing from locales/en:\n${missing.join("\n")}`);
});

for (const { tag } of LOCALES) {
  if (tag === SOURCE_LOCALE) continue;
  Deno.test(`locale ${tag} has every English key, no other, with English's placeholders`, async () => {
    const own = await readLocaleMessages(new URL(`${tag}/`, LOCALES_DIR));
    const lacking = Object.keys(english).filter((key) => !Object.hasOwn(own, key));
    const extra = Object.keys(own).filter((key) => !Object.hasOwn(english, key));
    assert.deepEqual(lacking, [], `${tag} lacks keys English has`);
    assert.deepEqual(extra, [], `${tag} has keys English has not`);
    const differing = Object.keys(english).filter((key) =>
      argumentsOf(parseMessage(own[key])).join() !== argumentsOf(parseMessage(english[key])).join()
    );
    assert.deepEqual(differing, [], `${tag} has placeholders English has not, or lacks some`);
    // Each plural has a branch for every plural category of the language (Arabic has six).
    const categories = new Intl.PluralRules(tag).resolvedOptions().pluralCategories;
    const short: string[] = [];
    const walk = (key: string, nodes: Node[]) => {
      for (const node of nodes) {
        if (typeof node !== "object" || !("branches" in node)) continue;
        if (node.kind === "plural") {
          const lacking = categories.filter((category) => !(category in node.branches));
          if (lacking.length) short.push(`${key}: no ${lacking.join(", ")}`);
        }
        Object.values(node.branches).forEach((branch) => walk(key, branch));
      }
    };
    for (const key of Object.keys(own)) walk(key, parseMessage(own[key]));
    assert.deepEqual(short, [], `${tag} has plurals without all of ${categories.join(", ")}`);
  });
}

Deno.test("every locale has a glossary of English's terms, each translated", async () => {
  const read = async (tag: string): Promise<Record<string, string>> =>
    JSON.parse(await Deno.readTextFile(new URL(`${tag}/${GLOSSARY_FILE}`, LOCALES_DIR)));
  const terms = Object.keys(await read(SOURCE_LOCALE)).sort();
  assert.ok(terms.length >= 8);
  for (const { tag } of LOCALES) {
    const glossary = await read(tag);
    assert.deepEqual(Object.keys(glossary).sort(), terms, `${tag}'s glossary has other terms`);
    for (const term of terms) assert.ok(glossary[term].trim(), `${tag} leaves "${term}" empty`);
  }
});

/**
 * Buttons whose accessible name is longer than their visible text: the
 * visible words must be part of the name in every language (WCAG 2.5.3,
 * "label in name"), so a person using speech input can say what they see.
 */
const LABEL_IN_NAME: [visible: string, name: string, params: Record<string, unknown>][] = [
  ["common.rename", "chat.rename", {}],
  ["common.rename", "home.rename_label", { title: "X" }],
  ["files.decline", "files.decline_label", { name: "x.pdf" }],
  ["files.cancel", "files.cancel_receiving", { name: "x.pdf" }],
  ["files.cancel", "files.cancel_sending", { name: "x.pdf" }],
  ["chat.new_messages", "chat.new_messages_go", { count: 3 }],
];

Deno.test("in every locale a button's visible words are part of its accessible name", async () => {
  const { formatParts } = await import("../lib/i18n/message_format.ts");
  const failing: string[] = [];
  for (const { tag } of LOCALES) {
    const own = await readLocaleMessages(new URL(`${tag}/`, LOCALES_DIR));
    const say = (key: string, params: Record<string, unknown>) =>
      formatParts(tag, parseMessage(own[key]), params).join("").toLocaleLowerCase(tag);
    for (const [visible, name, params] of LABEL_IN_NAME) {
      if (!say(name, params).includes(say(visible, params))) {
        failing.push(`${tag}: "${own[visible]}" is not in "${own[name]}"`);
      }
    }
  }
  assert.deepEqual(failing, []);
});
