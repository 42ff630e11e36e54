/**
 * Creating a conversation for the home page, with the code that makes keys
 * and bundles (`admission.ts` and the crypto under it) fetched when someone
 * creates one, not with the page. Same function and errors as `admission.ts`.
 * (The chat page needs most of that code to talk, so it imports it directly.)
 *
 * @module
 */
import type { createConversation as create } from "./admission.ts";

const admission = () => import("./admission.ts");

/** `createConversation` of `admission.ts`, fetched on first use. */
export async function createConversation(
  ...args: Parameters<typeof create>
): ReturnType<typeof create> {
  return await (await admission()).createConversation(...args);
}
