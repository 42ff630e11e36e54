/**
 * The extension of a conversation's end (`extension.ts`) as the client holds
 * it: its code is fetched with the first frame about an extension, or when
 * the person asks for one or answers. Until then there is nothing to show.
 *
 * A failed fetch changes nothing and says "part of the page did not load":
 * a request is not sent; an `extended` frame missed so is taken from the
 * server's record at its next read, as when a relay swallows one.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";
import type { Extension } from "./extension.ts";
import type { ExtensionView } from "./extension_end.ts";

/** {@linkcode Extension}, built the first time it is needed. */
export class LazyExtension {
  #state: ClientState;
  #connection: Connection;
  #extension: Extension | null = null;

  constructor(state: ClientState, connection: Connection) {
    this.#state = state;
    this.#connection = connection;
  }

  /** {@linkcode Extension.view}: nothing asked, nothing refused, before its code is here. */
  get view(): ExtensionView {
    return this.#extension?.view ?? { proposed: null, asked: null, error: null };
  }

  /** {@linkcode Extension.request}; false when its code cannot be fetched. */
  async request(expiresAt: string): Promise<boolean> {
    return (await this.#load())?.request(expiresAt) ?? false;
  }

  /** {@linkcode Extension.accept}; false when its code cannot be fetched. */
  async accept(): Promise<boolean> {
    return (await this.#load())?.accept() ?? false;
  }

  /** {@linkcode Extension.decline}. */
  async decline(): Promise<void> {
    (await this.#load())?.decline();
  }

  /**
   * {@linkcode Extension.onFrame}; runs in the client's queue. An `error`
   * frame can only answer a request, so it fetches nothing.
   */
  async onFrame(frame: ServerFrame): Promise<void> {
    if (frame.type === "error" && this.#extension === null) return;
    await (await this.#load())?.onFrame(frame);
  }

  async #load(): Promise<Extension | null> {
    try {
      const { Extension } = await import("./extension.ts");
      return this.#extension ??= new Extension(this.#state, this.#connection);
    } catch {
      this.#state.report("load", t("chat.problem_part_not_loaded"));
      return null;
    }
  }
}
