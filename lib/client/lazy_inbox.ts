/**
 * The inbox (`inbox.ts`) as the client holds it: its code, and with it the
 * code that opens messages, is fetched when the first message frame
 * arrives, or while the browser is idle once the conversation is open (see
 * `preloadChatParts`). A page that only shows its history needs neither.
 *
 * A failed fetch takes nothing: a problem asks for a reload, and the frame
 * is not acknowledged, so its sender sends it again. The next frame asks
 * for the code again, though a browser that keeps a failed module fetch
 * answers with the same failure until the page is loaded again.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import type { Inbox, InboxParts } from "./inbox.ts";
import type { MessageFrame } from "./unknown_sender.ts";

/** Fetches (once per page) and returns `inbox.ts`. */
export const inboxCode = () => import("./inbox.ts");

/** {@linkcode Inbox}, built the first time a message frame arrives. */
export class LazyInbox {
  #parts: InboxParts;
  #inbox: Promise<Inbox> | null = null;

  constructor(parts: InboxParts) {
    this.#parts = parts;
  }

  /** {@linkcode Inbox.receive}, once the inbox's code is here. */
  async receive(frame: MessageFrame): Promise<void> {
    this.#inbox ??= inboxCode().then((code) => new code.Inbox(this.#parts));
    let inbox: Inbox;
    try {
      inbox = await this.#inbox;
    } catch {
      this.#inbox = null;
      return this.#parts.state.report("load", t("chat.problem_part_not_loaded"));
    }
    await inbox.receive(frame);
  }
}
