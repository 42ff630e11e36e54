/**
 * The state every part of a conversation client shares: the stored
 * conversation, its messages, the problems shown to the user, and the one
 * queue through which every change runs. Parts change state only through
 * this object, and it tells the facade after each change.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import { monotonicUlid } from "./monotonic_ulid.ts";
import {
  type ClientStorage,
  ConversationGoneError,
  StaleWriterError,
  type StoredConversation,
  type StoredMessage,
} from "./storage.ts";

/** A failed check, shown to the user; any problem blocks sending. */
export interface Problem {
  id: number;
  message: string;
  /**
   * A key problem stays until the conversation is left; a message problem
   * (a check failed) and a load problem (the code to open a message could
   * not be fetched: not a security problem) can be acknowledged by the user.
   */
  kind: "keys" | "message" | "load";
}

/** Options of {@linkcode ClientState}. */
export interface ClientStateOptions {
  storage: ClientStorage;
  /** Called after every change. */
  onChange: () => void;
  /** Called when another tab has taken the conversation over. */
  onStale: () => void;
  /**
   * Called once when storage refuses a write because the conversation was
   * deleted from this browser (in Settings or another tab) while open;
   * `onStale` when not given. The client should stop: nothing more of the
   * conversation is stored, shown or acknowledged.
   */
  onGone?: () => void;
}

/** One conversation's state in this browser, changed one step at a time. */
export class ClientState {
  readonly storage: ClientStorage;
  /** New ULIDs for messages and frames, increasing even within one millisecond. */
  readonly ulid: () => string = monotonicUlid();
  #conversation: StoredConversation;
  #messages: StoredMessage[];
  #problems: Problem[] = [];
  #nextProblemId = 1;
  #queue: Promise<unknown> = Promise.resolve();
  #waiting = 0;
  #options: ClientStateOptions;
  #gone = false;

  constructor(
    conversation: StoredConversation,
    messages: StoredMessage[],
    options: ClientStateOptions,
  ) {
    this.#conversation = conversation;
    this.#messages = messages;
    this.#options = options;
    this.storage = watchGone(options.storage, () => this.#onGone());
  }

  /** Whether storage refused a write because the conversation was deleted here. */
  get gone(): boolean {
    return this.#gone;
  }

  /** The conversation as last saved. */
  get conversation(): StoredConversation {
    return this.#conversation;
  }

  /** Every stored message, hello included, oldest first. */
  get messages(): readonly StoredMessage[] {
    return this.#messages;
  }

  get problems(): readonly Problem[] {
    return this.#problems;
  }

  /** Sending pauses while a problem is shown, until the user has read it. */
  get paused(): boolean {
    return this.#problems.length > 0;
  }

  /**
   * Saves the conversation record; only this client may write it. `relaxed`
   * skips the flush to disk: only for a state that opened a file chunk and
   * sealed nothing. Lost in a crash, it comes back older by a few receiving
   * keys, which the next frames derive again; every state that sealed
   * something is flushed, and with it every write before.
   */
  async save(conversation: StoredConversation, options: { relaxed?: boolean } = {}): Promise<void> {
    try {
      const { writer } = this.#conversation;
      await this.storage.putConversation(conversation, { writer, relaxed: options.relaxed });
    } catch (error) {
      if (error instanceof StaleWriterError) this.#options.onStale();
      throw error;
    }
    this.#conversation = conversation;
  }

  /** Stores a new outgoing message and shows it last. */
  async append(message: StoredMessage): Promise<void> {
    await this.storage.putMessage(message);
    this.#messages.push(message);
  }

  /** Stores a received message and shows it in ID order. */
  async insert(message: StoredMessage): Promise<void> {
    await this.storage.putMessage(message);
    let index = this.#messages.length;
    while (index > 0 && this.#messages[index - 1].id > message.id) index--;
    this.#messages.splice(index, 0, message);
  }

  /** Stores changes to a message and shows them. */
  async update(message: StoredMessage, changes: Partial<StoredMessage>): Promise<void> {
    const updated = { ...(this.find(message.id) ?? message), ...changes };
    await this.storage.putMessage(updated);
    const index = this.#messages.findIndex((m) => m.id === message.id);
    if (index >= 0) this.#messages[index] = updated;
    this.changed();
  }

  /**
   * Shows changes to a message without storing them: for what storage can
   * tell again, such as the count of a file's chunks. `quiet` leaves the
   * page as it is until the next change.
   */
  show(message: StoredMessage, changes: Partial<StoredMessage>, quiet = false): void {
    const index = this.#messages.findIndex((m) => m.id === message.id);
    if (index >= 0) this.#messages[index] = { ...this.#messages[index], ...changes };
    if (!quiet) this.changed();
  }

  /** Deletes messages from storage and from view. */
  async remove(messages: readonly StoredMessage[]): Promise<void> {
    for (const message of messages) {
      await this.storage.deleteMessage(this.#conversation.id, message.id);
    }
    this.#messages = this.#messages.filter((m) => !messages.includes(m));
    this.changed();
  }

  find(id: string): StoredMessage | undefined {
    return this.#messages.find((m) => m.id === id);
  }

  /** Shows a problem once; any problem pauses sending. */
  report(kind: Problem["kind"], message: string): void {
    if (this.#problems.some((p) => p.message === message)) return;
    this.#problems.push({ id: this.#nextProblemId++, kind, message });
    this.changed();
  }

  /** Dismisses the message problems; key problems stay. */
  acknowledgeProblems(): void {
    this.#problems = this.#problems.filter((p) => p.kind === "keys");
    this.changed();
  }

  /** Tells the facade that something visible changed. */
  changed(): void {
    this.#options.onChange();
  }

  /** Whether changes are queued or running. */
  get busy(): boolean {
    return this.#waiting > 0;
  }

  /** Runs state changes one at a time, in arrival order. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    this.#waiting++;
    const next = this.#queue.then(work).finally(() => this.#waiting--);
    this.#queue = next.catch((error) => {
      // A deleted conversation is no problem to show: the client stops.
      if (error instanceof ConversationGoneError || this.#gone) return;
      this.report("message", t("chat.problem_unexpected", { detail: (error as Error).message }));
    });
    return next;
  }

  #onGone(): void {
    if (this.#gone) return;
    this.#gone = true;
    (this.#options.onGone ?? this.#options.onStale)();
  }
}

/**
 * `storage` as seen by the parts: the same calls, with `onGone` called
 * whenever one is refused with `ConversationGoneError` (the error still
 * reaches the caller, so nothing after the refused write runs).
 */
function watchGone(storage: ClientStorage, onGone: () => void): ClientStorage {
  return new Proxy(storage, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          if (error instanceof ConversationGoneError) onGone();
          throw error;
        });
      };
    },
  });
}
