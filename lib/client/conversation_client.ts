/**
 * The conversation client: everything a browser does for one conversation
 * once it holds keys. It authenticates the socket, verifies the peer's
 * bundle against the access key it derived itself, derives the session,
 * encrypts, sends and resends the outbox, decrypts, dedupes and acknowledges.
 *
 * Every check that fails becomes a visible {@linkcode Problem} that blocks
 * sending; nothing is dropped in silence. All state changes run one at a time
 * through a queue, and the send counter is saved before a ciphertext leaves.
 *
 * @module
 */
import { monotonicFactory } from "ulid";
import { signAuth } from "../crypto/auth.ts";
import { bundlesEqual, type BundleV2, hasPrekeys, verifyBundle } from "../crypto/bundle.ts";
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import type { KemBackend } from "../crypto/kem.ts";
import { MAX_TEXT_BYTES, type PayloadV2 } from "../crypto/payload.ts";
import { safetyNumber, safetyNumberKey } from "../crypto/safety_number.ts";
import { parseServerFrame, type Participant, type ServerFrame } from "../protocol.ts";
import { AdmissionError, fetchConversation } from "./admission.ts";
import { canSeal, ChannelError, openBody, sealPayload, startInitiator } from "./secure_channel.ts";
import {
  type ClientStorage,
  PROTOCOL_VERSION,
  type StoredConversation,
  type StoredMessage,
} from "./storage.ts";

/** Largest frame body the client accepts from the relay. */
const MAX_BODY_LENGTH = 256 * 1024;
const RECONNECT_BASE_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/** State of this browser's socket. */
export type ConnectionState = "connecting" | "online" | "reconnecting" | "closed";

/** What this browser knows of the other person. */
export type PeerState = "waiting" | "online" | "offline";

/** A failed check, shown to the user; any problem blocks sending. */
export interface Problem {
  id: number;
  message: string;
  /**
   * A key problem stays until the conversation is left; a message problem
   * can be acknowledged by the user.
   */
  kind: "keys" | "message";
}

/** A snapshot of the conversation for the UI. */
export interface ClientView {
  connection: ConnectionState;
  peer: PeerState;
  /** The visible messages, oldest first. */
  messages: StoredMessage[];
  problems: Problem[];
  closed: "deleted" | "expired" | null;
  /** True when a message can be written now (it may still wait as pending). */
  canSend: boolean;
  /** True once both sides hold the session keys. */
  secure: boolean;
  /** The safety number the user marked as verified, if any. */
  verified: string | null;
  kemBackend: KemBackend;
}

/** Options of {@linkcode ConversationClient.open}. */
export interface ConversationClientOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  storage: ClientStorage;
  /** Called after every change with a fresh snapshot. */
  onChange?: (view: ClientView) => void;
}

/** One browser's side of one conversation. */
export class ConversationClient {
  #options: ConversationClientOptions;
  #conversation: StoredConversation;
  #messages: StoredMessage[];
  #safetyNumber: Promise<string> | null = null;
  #socket: WebSocket | null = null;
  #connection: ConnectionState = "connecting";
  #peerOnline = false;
  #problems: Problem[] = [];
  #nextProblemId = 1;
  /** Message IDs sent on this socket while the peer stayed online. */
  #sentNow = new Set<string>();
  #queue: Promise<void> = Promise.resolve();
  #stopped = false;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #ulid = monotonicFactory();
  #closedWaiters: (() => void)[] = [];

  private constructor(
    options: ConversationClientOptions,
    conversation: StoredConversation,
    messages: StoredMessage[],
  ) {
    this.#options = options;
    this.#conversation = conversation;
    this.#messages = messages;
  }

  /**
   * Loads a stored conversation; throws if this browser does not hold it, and
   * an `OutdatedConversationError` for one made by an older version.
   */
  static async open(
    conversationId: string,
    options: ConversationClientOptions,
  ): Promise<ConversationClient> {
    const conversation = await options.storage.getConversation(conversationId);
    if (conversation === undefined) {
      throw new Error(`Cannot open conversation "${conversationId}": not stored here`);
    }
    if (conversation.protocol !== PROTOCOL_VERSION) {
      throw new OutdatedConversationError(conversationId);
    }
    const messages = await options.storage.listMessages(conversationId);
    return new ConversationClient(options, conversation, messages);
  }

  /** The conversation as stored. */
  get conversation(): StoredConversation {
    return this.#conversation;
  }

  /** A snapshot for the UI. */
  get view(): ClientView {
    const closed = this.#conversation.closed;
    return {
      connection: this.#connection,
      peer: this.#conversation.peer === null ? "waiting" : this.#peerOnline ? "online" : "offline",
      messages: this.#messages.filter((m) => m.kind === "text"),
      problems: [...this.#problems],
      closed,
      canSend: closed === null && this.#problems.length === 0,
      secure: canSeal(this.#conversation),
      verified: this.#conversation.verified,
      kemBackend: this.#conversation.kemBackend,
    };
  }

  /**
   * The 60-digit safety number of this conversation, or null before the
   * other person's keys are known. Computed once: it takes 5200 hashes a side.
   */
  safetyNumber(): Promise<string> | null {
    const { peer, bundle, participantId } = this.#conversation;
    if (peer === null) return null;
    this.#safetyNumber ??= safetyNumber({
      ownKey: safetyNumberKey(bundle),
      ownId: participantId,
      peerKey: safetyNumberKey(peer.bundle),
      peerId: peer.id,
    });
    return this.#safetyNumber;
  }

  /** Marks the current safety number as checked in person, or clears the mark. */
  async setVerified(verified: boolean): Promise<void> {
    const number = verified ? await this.safetyNumber() : null;
    await this.#serial(async () => {
      this.#conversation = { ...this.#conversation, verified: number ?? null };
      await this.#options.storage.putConversation(this.#conversation);
      this.#emit();
    });
  }

  /** Connects, and keeps reconnecting until {@linkcode stop}. */
  start(): void {
    if (this.#conversation.closed !== null) {
      this.#connection = "closed";
      this.#emit();
      return;
    }
    this.#connect();
  }

  /** Closes the socket for good. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#socket?.close(1000);
    this.#socket = null;
  }

  /**
   * Writes a message. It is kept as pending and sent when the peer is online.
   * Throws a `RangeError` for an over-long text, an `Error` while blocked.
   */
  async send(text: string): Promise<StoredMessage> {
    if (new TextEncoder().encode(text).length > MAX_TEXT_BYTES) {
      throw new RangeError(`Cannot send message: longer than ${MAX_TEXT_BYTES} bytes`);
    }
    if (!this.view.canSend) {
      throw new Error("Cannot send message: this conversation is blocked");
    }
    const message: StoredMessage = {
      conversationId: this.#conversation.id,
      id: this.#ulid(),
      direction: "out",
      kind: "text",
      text,
      sentAt: Date.now(),
      status: "pending",
      envelope: null,
    };
    await this.#serial(async () => {
      await this.#options.storage.putMessage(message);
      this.#messages.push(message);
      this.#emit();
      await this.#flush();
    });
    return message;
  }

  /** Dismisses the message problems the user has read; key problems stay. */
  acknowledgeProblems(): void {
    this.#problems = this.#problems.filter((p) => p.kind === "keys");
    this.#emit();
    this.#serial(() => this.#flush());
  }

  /**
   * Burns the conversation: on the server when it can be reached, and in
   * this browser always. Reports whether the server confirmed.
   */
  async deleteConversation(): Promise<{ server: boolean }> {
    let server = false;
    if (this.#connection === "online" && this.#socket?.readyState === WebSocket.OPEN) {
      const closed = new Promise<void>((resolve) => this.#closedWaiters.push(resolve));
      this.#socket.send(JSON.stringify({ type: "delete" }));
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000));
      await Promise.race([closed, timeout]);
      server = this.#conversation.closed === "deleted";
    }
    this.stop();
    await this.#serial(() => this.#options.storage.deleteConversation(this.#conversation.id));
    return { server };
  }

  #connect(): void {
    if (this.#stopped) return;
    const url = new URL(
      `/api/conversations/${this.#conversation.id}/socket`,
      this.#options.baseUrl,
    );
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url);
    this.#socket = socket;
    socket.addEventListener("message", (event) => {
      if (this.#socket !== socket) return;
      const data = event.data;
      this.#serial(() => this.#onFrame(socket, data));
    });
    socket.addEventListener("close", () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#peerOnline = false;
      this.#sentNow.clear();
      if (this.#stopped || this.#conversation.closed !== null) {
        this.#connection = "closed";
      } else {
        this.#connection = "reconnecting";
        this.#scheduleReconnect();
      }
      this.#emit();
    });
    socket.addEventListener("error", () => {});
  }

  #scheduleReconnect(): void {
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** this.#attempt);
    this.#attempt++;
    // Jitter, so that many clients do not return at the same instant.
    const delay = ceiling / 2 + Math.random() * ceiling / 2;
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  async #onFrame(socket: WebSocket, data: unknown): Promise<void> {
    let frame: ServerFrame;
    try {
      if (typeof data !== "string") throw new TypeError("Expected a text frame");
      frame = parseServerFrame(data, { maxBodyLength: MAX_BODY_LENGTH });
    } catch (error) {
      return this.#report(
        "message",
        `The server sent a malformed frame: ${(error as Error).message}`,
      );
    }
    switch (frame.type) {
      case "challenge": {
        const signature = await signAuth(
          this.#conversation.signing.privateKey,
          this.#conversation.id,
          decodeBase64Url(frame.nonce),
        );
        socket.send(JSON.stringify({
          type: "auth",
          participantId: this.#conversation.participantId,
          signature: encodeBase64Url(signature),
        }));
        return;
      }
      case "ready":
        this.#attempt = 0;
        this.#connection = "online";
        await this.#refreshPeer();
        this.#peerOnline = frame.peers.some((p) =>
          p.online && p.id === this.#conversation.peer?.id
        );
        this.#emit();
        return await this.#flush();
      case "joined":
        await this.#adoptPeer(frame.participant);
        this.#emit();
        return;
      case "presence":
        if (frame.participantId !== this.#conversation.peer?.id) {
          await this.#refreshPeer();
        }
        if (frame.participantId === this.#conversation.peer?.id) {
          this.#peerOnline = frame.online;
          this.#sentNow.clear();
        }
        this.#emit();
        return await this.#flush();
      case "message":
        return await this.#receive(socket, frame);
      case "ack":
        // Relay acks are not authenticated; delivery comes from encrypted receipts.
        return;
      case "closed":
        this.#conversation = { ...this.#conversation, closed: frame.reason };
        await this.#options.storage.putConversation(this.#conversation);
        this.#connection = "closed";
        this.#stopped = true;
        for (const resolve of this.#closedWaiters.splice(0)) resolve();
        this.#emit();
        return;
      case "error":
        if (frame.code === "peer_offline") {
          this.#peerOnline = false;
          this.#sentNow.clear();
          this.#emit();
        } else if (frame.code === "auth_failed") {
          this.#report("keys", "The server refused this browser's keys for this conversation");
        }
        return;
    }
  }

  /** Reads the server's record and checks every participant in it. */
  async #refreshPeer(): Promise<void> {
    let record;
    try {
      record = await fetchConversation(this.#options.baseUrl, this.#conversation.id);
    } catch (error) {
      // Unreachable is ordinary; a malformed record is the server misbehaving.
      if (error instanceof AdmissionError && error.code === "rejected") {
        this.#report(
          "keys",
          `The server's record of this conversation is invalid: ${error.message}`,
        );
      }
      return;
    }
    if (record === null) return;
    if (record.accessKey !== this.#conversation.accessKey) {
      return this.#report("keys", "The server changed this conversation's access key");
    }
    for (const participant of record.participants) {
      await this.#adoptPeer(participant);
    }
  }

  /**
   * Checks a participant the server presents. The own entry must be exactly
   * ours; the peer must be a current-version bundle signed with the access key
   * derived here, with prekeys exactly when it is the creator's, and once
   * pinned may never change. The joiner then starts the handshake.
   */
  async #adoptPeer(participant: Participant): Promise<void> {
    const own = this.#conversation;
    if (participant.id === own.participantId) {
      if (!bundlesEqual(participant.bundle, own.bundle)) {
        this.#report("keys", "The server replaced this browser's own keys");
      }
      return;
    }
    if (own.peer !== null) {
      if (own.peer.id !== participant.id) {
        return this.#report("keys", "The server presented a third participant; refused");
      }
      if (!bundlesEqual(own.peer.bundle, participant.bundle)) {
        return this.#report("keys", "The other person's keys changed; refused");
      }
      return;
    }
    const bundle = participant.bundle;
    if (bundle.v !== 2 || hasPrekeys(bundle) !== (own.role === "joiner")) {
      return this.#report(
        "keys",
        "The server presented keys of an older or different kind (a downgrade); refused",
      );
    }
    if (!await verifyBundle(bundle, decodeBase64Url(own.accessKey))) {
      return this.#report(
        "keys",
        "The server presented keys that were not made with this invite; refused",
      );
    }
    const peer = { id: participant.id, bundle: bundle as BundleV2 };
    let next: StoredConversation = { ...own, peer };
    if (own.role === "joiner" && own.ratchet === null) {
      next = await startInitiator(next, peer);
    }
    this.#conversation = next;
    await this.#options.storage.putConversation(next);
    if (own.role === "joiner" && !this.#messages.some((m) => m.kind === "hello")) {
      // The joiner speaks first, so the creator can answer at all.
      const hello: StoredMessage = {
        conversationId: own.id,
        id: this.#ulid(),
        direction: "out",
        kind: "hello",
        text: "",
        sentAt: Date.now(),
        status: "pending",
        envelope: null,
      };
      await this.#options.storage.putMessage(hello);
      this.#messages.push(hello);
    }
  }

  /** Sends every outgoing message the peer has not acknowledged. */
  async #flush(): Promise<void> {
    const socket = this.#socket;
    const peer = this.#conversation.peer;
    if (
      socket?.readyState !== WebSocket.OPEN || this.#connection !== "online" ||
      peer === null || !this.#peerOnline || this.#problems.length > 0
    ) {
      return;
    }
    for (const message of this.#messages) {
      if (
        message.direction !== "out" || message.status === "delivered" ||
        this.#sentNow.has(message.id)
      ) continue;
      let envelope = message.envelope;
      if (envelope === null) {
        if (!canSeal(this.#conversation)) return;
        const sealed = await sealPayload(this.#conversation, payloadOf(message));
        // The advanced ratchet is saved first: after a crash the message is
        // sealed again with a fresh key, never the same key twice.
        this.#conversation = sealed.conversation;
        await this.#options.storage.putConversation(this.#conversation);
        envelope = sealed.body;
        await this.#update(message, { envelope });
      }
      if (socket.readyState !== WebSocket.OPEN) return;
      socket.send(JSON.stringify({ type: "send", id: message.id, to: peer.id, body: envelope }));
      this.#sentNow.add(message.id);
      if (message.status === "pending") await this.#update(message, { status: "sent" });
    }
  }

  /** Sends an encrypted receipt; a lost one is made good when the peer resends. */
  async #sendReceipt(socket: WebSocket, ids: string[]): Promise<void> {
    const peer = this.#conversation.peer;
    if (peer === null || socket.readyState !== WebSocket.OPEN || !canSeal(this.#conversation)) {
      return;
    }
    const id = this.#ulid();
    const sealed = await sealPayload(this.#conversation, {
      v: 2,
      type: "receipt",
      id,
      ids,
      sentAt: Date.now(),
    });
    this.#conversation = sealed.conversation;
    await this.#options.storage.putConversation(this.#conversation);
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "send", id, to: peer.id, body: sealed.body }));
    }
  }

  async #receive(
    socket: WebSocket,
    frame: Extract<ServerFrame, { type: "message" }>,
  ): Promise<void> {
    // A message can arrive before `joined` was seen, after a reconnect.
    if (this.#conversation.peer === null) await this.#refreshPeer();
    const peer = this.#conversation.peer;
    if (peer === null || frame.from !== peer.id) {
      return this.#report("message", "A message came from someone who is not the other person");
    }
    const existing = this.#messages.find((m) => m.id === frame.id);
    if (existing !== undefined) {
      if (existing.direction === "out") {
        return this.#report("message", "A message of yours was sent back to you; rejected");
      }
      // Already stored: the receipt was lost, so send one again; show nothing new.
      return await this.#sendReceipt(socket, [frame.id]);
    }
    let opened;
    try {
      opened = await openBody(this.#conversation, frame.body);
    } catch (error) {
      return this.#report(
        "message",
        error instanceof ChannelError
          ? error.message
          : "A message failed verification and was discarded",
      );
    }
    const { payload } = opened;
    if (payload.id !== frame.id) {
      return this.#report("message", "A message arrived under another message's ID; rejected");
    }
    if (payload.type === "receipt") {
      this.#conversation = opened.conversation;
      await this.#options.storage.putConversation(this.#conversation);
      for (const id of payload.ids) {
        const message = this.#messages.find((m) => m.id === id && m.direction === "out");
        if (message !== undefined && message.status !== "delivered") {
          await this.#update(message, { status: "delivered" });
        }
      }
    } else {
      const message: StoredMessage = {
        conversationId: this.#conversation.id,
        id: frame.id,
        direction: "in",
        kind: payload.type,
        text: payload.type === "text" ? payload.text : "",
        sentAt: payload.sentAt,
        status: "received",
        envelope: null,
      };
      // The message is stored before the ratchet moves on: a crash in
      // between leaves a duplicate to drop, never a message lost.
      await this.#options.storage.putMessage(message);
      this.#conversation = opened.conversation;
      await this.#options.storage.putConversation(this.#conversation);
      this.#insert(message);
      await this.#sendReceipt(socket, [frame.id]);
    }
    this.#emit();
    // The first message may have completed the handshake: pending ones can go.
    await this.#flush();
  }

  async #update(message: StoredMessage, changes: Partial<StoredMessage>): Promise<void> {
    const updated = { ...message, ...changes };
    await this.#options.storage.putMessage(updated);
    const index = this.#messages.findIndex((m) => m.id === message.id);
    if (index >= 0) this.#messages[index] = updated;
    this.#emit();
  }

  #insert(message: StoredMessage): void {
    let index = this.#messages.length;
    while (index > 0 && this.#messages[index - 1].id > message.id) index--;
    this.#messages.splice(index, 0, message);
  }

  #report(kind: Problem["kind"], message: string): void {
    if (this.#problems.some((p) => p.message === message)) return;
    this.#problems.push({ id: this.#nextProblemId++, kind, message });
    this.#emit();
  }

  #emit(): void {
    this.#options.onChange?.(this.view);
  }

  /** Runs state changes one at a time, in arrival order. */
  #serial(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work);
    this.#queue = next.catch((error) => {
      this.#report("message", `Something went wrong: ${(error as Error).message}`);
    });
    return next;
  }
}

/** A conversation stored by an older version, whose protocol this code no longer speaks. */
export class OutdatedConversationError extends Error {
  constructor(conversationId: string) {
    super(`Cannot open conversation "${conversationId}": made with an older version`);
    this.name = "OutdatedConversationError";
  }
}

/** The payload an outgoing message is sealed as. */
function payloadOf(message: StoredMessage): PayloadV2 {
  return message.kind === "hello"
    ? { v: 2, type: "hello", id: message.id, sentAt: message.sentAt }
    : { v: 2, type: "text", id: message.id, text: message.text, sentAt: message.sentAt };
}
