/**
 * The pseudo-locale: English with every letter accented and each message
 * 40 % longer, inside ⟦ ⟧. Text clipped by the layout, or English that did
 * not come from the catalogue, stands out at a glance and in tests.
 *
 * @module
 */
import { type Node, parseMessage } from "./message_format.ts";

const ACCENTED: Record<string, string> = Object.fromEntries(
  [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((char, i) => [
    char,
    [..."àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"][i],
  ]),
);

function accent(text: string): string {
  return [...text].map((char) => ACCENTED[char] ?? char).join("");
}

function letters(nodes: Node[]): number {
  return nodes.reduce<number>((sum, node) => {
    if (typeof node === "string") return sum + node.length;
    if (typeof node === "object" && "branches" in node) {
      return sum + letters(node.branches.other ?? []);
    }
    return sum;
  }, 0);
}

function serialize(nodes: Node[]): string {
  return nodes.map((node) => {
    if (typeof node === "string") return accent(node);
    if ("pound" in node) return "#";
    if (!("kind" in node)) return `{${node.arg}}`;
    const branches = Object.entries(node.branches)
      .map(([selector, branch]) => `${selector} {${serialize(branch)}}`)
      .join(" ");
    return `{${node.arg}, ${node.kind}, ${branches}}`;
  }).join("");
}

/** The pseudo-locale form of an English pattern: placeholders and plural syntax unchanged. */
export function pseudoMessage(pattern: string): string {
  const nodes = parseMessage(pattern);
  const padding = "·".repeat(Math.ceil(letters(nodes) * 0.4));
  // The padding is a word of its own, as a longer language's words would be.
  return `⟦${serialize(nodes)} ${padding}⟧`;
}
