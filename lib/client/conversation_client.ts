/**
 * The conversation client: everything a browser does for one conversation
 * once it holds keys. It authenticates the socket, checks every participant
 * the server presents, runs the session, sends and resends the
 * outbox (texts, files, timer changes), receives, dedupes and acknowledges
 * with encrypted receipts, and removes messages whose time is up.
 *
 * Every check that fails becomes a visible {@linkcode Problem} that blocks
 * sending; nothing is dropped in silence. All state changes run one at a time
 * through a queue.
 *
 * @module
 */
import { monotonicFactory } from "ulid";
import { signAuth } from "../crypto/auth.ts";
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import type { KemBackend } from "../crypto/kem.ts";
import {
  type ChunkPayload,
  FILE_CHUNK_BYTES,
  type FilePayload,
  MAX_RECEIPT_IDS,
  MAX_TEXT_BYTES,
  type Payload,
  TIMER_CHOICES,
} from "../crypto/payload.ts";
import { safetyNumber, safetyNumberKey } from "../crypto/safety_number.ts";
import type { Participant } from "../protocol/conversation_record.ts";
import { parseServerFrame, type ServerFrame } from "../protocol/server_frames.ts";
import { AdmissionError, fetchConversation } from "./admission.ts";
import {
  assembleFile,
  DEFAULT_MAX_FILE_BYTES,
  describeFile,
  FileIntegrityError,
  readChunk,
} from "./file_transfer.ts";
import { checkParticipant } from "./peer_check.ts";
import { DEFAULT_SEND_RATE, SendBudget, type SendRate } from "./send_budget.ts";
import { canSeal, ChannelError, openBody, sealPayload, startInitiator } from "./secure_channel.ts";
import {
  type ClientStorage,
  PROTOCOL_VERSION,
  StaleWriterError,
  type StoredConversation,
  type StoredMessage,
} from "./storage.ts";

/** Largest frame body the client accepts from the relay. */
const MAX_BODY_LENGTH = 256 * 1024;
const RECONNECT_BASE_MS = 500;
const RECONNECT_MAX_MS = 10_000;
/** Receipts wait this long to be sent together with those of the next messages. */
const RECEIPT_DELAY_MS = 30;
/** A typing notice is repeated this often while typing, and forgotten after twice that. */
const TYPING_REPEAT_MS = 3000;
const EXPIRY_CHECK_MS = 1000;
/** How many disappeared incoming messages are remembered by ID and hash. */
const MAX_GONE = 2000;

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
  /** The visible messages (texts, files, timer notices), oldest first. */
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
  /** True while the other person is typing (if typing notices are on). */
  peerTyping: boolean;
  /** Disappearing messages: seconds a new message lives; 0 keeps it. */
  timer: number;
  /** Outgoing files being sent: message ID → chunks sent so far. */
  transfers: Record<string, number>;
}

/** The person's choices that change what goes on the wire. */
export interface ClientPreferences {
  /** Send and show typing notices. */
  typingIndicator: boolean;
  /** Send and show read receipts (both people must allow them). */
  readReceipts: boolean;
  /** The largest file to send or accept, in bytes. */
  maxFileBytes: number;
}

/** Options of {@linkcode ConversationClient.open}. */
export interface ConversationClientOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  storage: ClientStorage;
  /** Called after every change with a fresh snapshot. */
  onChange?: (view: ClientView) => void;
  /** Read at each use, so a change in settings applies at once. */
  preferences?: () => Partial<ClientPreferences>;
  /** How fast frames may go out; below the relay's per-socket limit. */
  sendRate?: SendRate;
}

const DEFAULT_PREFERENCES: ClientPreferences = {
  typingIndicator: true,
  readReceipts: false,
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
};

/** One browser's side of one conversation. */
export class ConversationClient {
  #options: ConversationClientOptions;
  #conversation: StoredConversation;
  #messages: StoredMessage[];
  #safetyNumber: Promise<string> | null = null;
  #socket: WebSocket | null = null;
  #connection: ConnectionState = "connecting";
  #peerOnline = false;
  #peerTyping = false;
  #peerTypingTimer: ReturnType<typeof setTimeout> | undefined;
  #typingSentAt = 0;
  #problems: Problem[] = [];
  #nextProblemId = 1;
  /** Message IDs sent on this socket while the peer stayed online. */
  #sentNow = new Set<string>();
  /** Outgoing files whose chunks are going out: ID → chunks sent. */
  #transfers = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #expiryTimer: ReturnType<typeof setInterval> | undefined;
  #ulid = monotonicFactory();
  #closedWaiters: (() => void)[] = [];
  #budget: SendBudget;
  /** Received message IDs whose receipt has not gone out yet. */
  #pendingReceipts = new Set<string>();
  #receiptTimer: ReturnType<typeof setTimeout> | undefined;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    options: ConversationClientOptions,
    conversation: StoredConversation,
    messages: StoredMessage[],
  ) {
    this.#options = options;
    this.#budget = new SendBudget(options.sendRate ?? DEFAULT_SEND_RATE);
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
    const stored = await options.storage.getConversation(conversationId);
    if (stored === undefined) {
      throw new Error(`Cannot open conversation "${conversationId}": not stored here`);
    }
    if (stored.protocol !== PROTOCOL_VERSION) {
      throw new OutdatedConversationError(conversationId);
    }
    // From here on only this instance may save the record: a tab that loses
    // the lock while work is under way can no longer write a ratchet state
    // another tab has read (which could make both seal with one key).
    const conversation = (await options.storage.claimConversation(
      conversationId,
      crypto.randomUUID(),
    ))!;
    const messages = await options.storage.listMessages(conversationId);
    return new ConversationClient(
      options,
      { ...conversation, timer: conversation.timer ?? 0, timerId: conversation.timerId ?? null },
      messages.map(withDefaults),
    );
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
      messages: this.#messages.filter((m) => m.kind !== "hello"),
      problems: [...this.#problems],
      closed,
      canSend: closed === null && this.#problems.length === 0,
      secure: canSeal(this.#conversation),
      verified: this.#conversation.verified,
      kemBackend: this.#conversation.kemBackend,
      peerTyping: this.#peerTyping && this.#preferences().typingIndicator,
      timer: this.#conversation.timer,
      transfers: Object.fromEntries(this.#transfers),
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
      await this.#save({ ...this.#conversation, verified: number ?? null });
      this.#emit();
    });
  }

  /** Connects, and keeps reconnecting until {@linkcode stop}. */
  start(): void {
    this.#expiryTimer = setInterval(
      () => this.#serial(() => this.#removeExpired()),
      EXPIRY_CHECK_MS,
    );
    this.#serial(() => this.#removeExpired());
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
    clearTimeout(this.#peerTypingTimer);
    clearTimeout(this.#receiptTimer);
    clearTimeout(this.#flushTimer);
    clearInterval(this.#expiryTimer);
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
    this.#typingSentAt = 0;
    return await this.#write({ kind: "text", text });
  }

  /**
   * Sends a file. Its bytes wait in this browser, like a message, until the
   * peer is online; throws a `RangeError` above the size limit.
   */
  async sendFile(file: Blob, name: string): Promise<StoredMessage> {
    const info = await describeFile(file, name, this.#preferences().maxFileBytes);
    const id = this.#ulid();
    await this.#options.storage.putFile(this.#conversation.id, id, file);
    return await this.#write({ kind: "file", text: "", file: info }, id);
  }

  /** The bytes of a sent or fully received file. */
  getFile(id: string): Promise<Blob | undefined> {
    return this.#options.storage.getFile(this.#conversation.id, id);
  }

  /** Sets the disappearing-messages timer for both people (seconds; 0 turns it off). */
  async setTimer(seconds: number): Promise<void> {
    if (!TIMER_CHOICES.includes(seconds)) {
      throw new RangeError(`Invalid timer ${seconds}: expected one of ${TIMER_CHOICES.join(", ")}`);
    }
    if (!this.view.canSend) {
      throw new Error("Cannot change the timer: this conversation is blocked");
    }
    const id = this.#ulid();
    await this.#serial(() => this.#save({ ...this.#conversation, timer: seconds, timerId: id }));
    await this.#write({ kind: "timer", text: "", timer: seconds }, id);
  }

  /** Tells the other person that this one is typing, or stopped; never queued. */
  setTyping(active: boolean): void {
    if (!this.#preferences().typingIndicator) return;
    const now = Date.now();
    if (active && now - this.#typingSentAt < TYPING_REPEAT_MS) return;
    if (!active && this.#typingSentAt === 0) return;
    this.#typingSentAt = active ? now : 0;
    this.#serial(() =>
      this.#sendEphemeral({ v: 2, type: "typing", id: this.#ulid(), active, sentAt: now })
    );
  }

  /**
   * Marks every received message as read, and tells the other person so when
   * read receipts are on.
   */
  markRead(): void {
    this.#serial(async () => {
      const unread = this.#messages.filter((m) => m.direction === "in" && m.status === "received");
      if (unread.length === 0) return;
      for (const message of unread) await this.#update(message, { status: "read" });
      if (!this.#preferences().readReceipts) return;
      const ids = unread.map((m) => m.id);
      for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) {
        await this.#sendEphemeral({
          v: 2,
          type: "read",
          id: this.#ulid(),
          ids: ids.slice(i, i + MAX_RECEIPT_IDS),
          sentAt: Date.now(),
        });
      }
    });
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

  #preferences(): ClientPreferences {
    return { ...DEFAULT_PREFERENCES, ...this.#options.preferences?.() };
  }

  /** Stores a new outgoing message and sends what can be sent. */
  async #write(
    fields: Pick<StoredMessage, "kind" | "text"> & Partial<Pick<StoredMessage, "file" | "timer">>,
    id = this.#ulid(),
  ): Promise<StoredMessage> {
    if (!this.view.canSend) {
      throw new Error("Cannot send message: this conversation is blocked");
    }
    const sentAt = Date.now();
    const expiresIn = fields.kind === "timer" ? 0 : this.#conversation.timer;
    const message: StoredMessage = {
      conversationId: this.#conversation.id,
      id,
      direction: "out",
      sentAt,
      status: "pending",
      envelope: null,
      expiresIn,
      expiresAt: expiresIn > 0 ? sentAt + expiresIn * 1000 : null,
      file: null,
      timer: null,
      ...fields,
    };
    await this.#serial(async () => {
      await this.#options.storage.putMessage(message);
      this.#messages.push(message);
      this.#emit();
      await this.#flush();
    });
    return message;
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
          // Also on a second socket of the peer: it may have reloaded, so
          // everything without a receipt goes out again.
          this.#peerOnline = frame.online;
          this.#sentNow.clear();
          if (!frame.online) this.#setPeerTyping(false);
        }
        this.#emit();
        return await this.#flush();
      case "message":
        return await this.#receive(frame);
      case "ack":
        // Relay acks are not authenticated; delivery comes from encrypted receipts.
        return;
      case "closed":
        await this.#save({ ...this.#conversation, closed: frame.reason });
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
        } else if (frame.code === "rate_limited" || frame.code === "too_many_sockets") {
          // The server is about to close this socket: come back slowly.
          this.#attempt = Math.max(this.#attempt, 5);
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

  /** Pins a newly verified peer; the joiner then starts the handshake and says hello. */
  async #adoptPeer(participant: Participant): Promise<void> {
    const check = await checkParticipant(this.#conversation, participant);
    if (check.result === "refused") return this.#report("keys", check.reason);
    if (check.result === "new") {
      let next: StoredConversation = { ...this.#conversation, peer: check.peer };
      if (next.role === "joiner" && next.ratchet === null) {
        next = await startInitiator(next, check.peer);
      }
      await this.#save(next);
    }
    // Also for a known peer: a crash may have come between pinning and this.
    if (
      this.#conversation.role === "joiner" && this.#conversation.peer !== null &&
      !this.#messages.some((m) => m.kind === "hello")
    ) {
      // The joiner speaks first, so the creator can answer at all.
      const hello: StoredMessage = withDefaults({
        conversationId: this.#conversation.id,
        id: this.#ulid(),
        direction: "out",
        kind: "hello",
        text: "",
        sentAt: Date.now(),
        status: "pending",
        envelope: null,
      });
      await this.#options.storage.putMessage(hello);
      this.#messages.push(hello);
    }
  }

  #peerReady(socket: WebSocket | null): socket is WebSocket {
    return socket?.readyState === WebSocket.OPEN && this.#connection === "online" &&
      this.#conversation.peer !== null && this.#peerOnline;
  }

  /** Runs {@linkcode #flush} again when the send budget allows. */
  #flushLater(): void {
    if (this.#flushTimer !== undefined) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#serial(() => this.#flush());
    }, this.#budget.waitMs());
  }

  /** Sends every outgoing message the peer has not acknowledged. */
  async #flush(): Promise<void> {
    await this.#flushReceipts();
    const socket = this.#socket;
    if (!this.#peerReady(socket) || this.#problems.length > 0) return;
    const peer = this.#conversation.peer!;
    for (const message of this.#messages) {
      if (
        message.direction !== "out" || message.status === "delivered" ||
        message.status === "read" || this.#sentNow.has(message.id)
      ) continue;
      let envelope = message.envelope;
      if (envelope === null) {
        if (!canSeal(this.#conversation)) return;
        const sealed = await sealPayload(this.#conversation, payloadOf(message));
        // The advanced ratchet is saved first: after a crash the message is
        // sealed again with a fresh key, never the same key twice.
        await this.#save(sealed.conversation);
        envelope = sealed.body;
        await this.#update(message, { envelope });
      }
      if (socket.readyState !== WebSocket.OPEN) return;
      if (!this.#budget.take()) return this.#flushLater();
      socket.send(JSON.stringify({ type: "send", id: message.id, to: peer.id, body: envelope }));
      this.#sentNow.add(message.id);
      if (message.status === "pending") await this.#update(message, { status: "sent" });
      if (message.kind === "file") this.#sendChunks(message.id, socket);
    }
  }

  /**
   * Sends the chunks of a file, paced below the relay's rate limit, each
   * step through the queue so that receiving goes on meanwhile. A lost
   * connection stops it; the next flush starts again and the receiver skips
   * the chunks it has.
   */
  async #sendChunks(id: string, socket: WebSocket): Promise<void> {
    if (this.#transfers.has(id)) return;
    this.#transfers.set(id, 0);
    try {
      const file = await this.getFile(id);
      const message = this.#messages.find((m) => m.id === id);
      if (file === undefined || message?.file == null) return;
      let index = 0;
      while (index < message.file.chunks) {
        await new Promise((resolve) => setTimeout(resolve, this.#budget.waitMs()));
        const step = await this.#serial(async () => {
          if (this.#socket !== socket || !this.#peerReady(socket)) return "stop";
          const data = await readChunk(file, index);
          const sent = await this.#sendEphemeral({
            v: 2,
            type: "chunk",
            id: this.#ulid(),
            file: id,
            index,
            data: encodeBase64Url(data),
            sentAt: Date.now(),
          });
          return sent ? "sent" : "wait";
        });
        if (step === "stop") {
          this.#sentNow.delete(id);
          return;
        }
        if (step === "sent") {
          index++;
          this.#transfers.set(id, index);
          this.#emit();
        }
      }
    } finally {
      this.#transfers.delete(id);
      this.#emit();
    }
  }

  /**
   * Seals and sends a payload that is not kept: receipts, chunks, typing,
   * reads. Reports whether it went out (not when offline or over budget).
   */
  async #sendEphemeral(payload: Payload): Promise<boolean> {
    const socket = this.#socket;
    if (!this.#peerReady(socket) || !canSeal(this.#conversation) || !this.#budget.take()) {
      return false;
    }
    const sealed = await sealPayload(this.#conversation, payload);
    await this.#save(sealed.conversation);
    if (socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify({
      type: "send",
      id: payload.id,
      to: this.#conversation.peer!.id,
      body: sealed.body,
    }));
    return true;
  }

  /** Acknowledges a received message soon, together with those that follow it. */
  #sendReceipt(id: string): void {
    this.#pendingReceipts.add(id);
    this.#receiptTimer ??= setTimeout(() => {
      this.#receiptTimer = undefined;
      this.#serial(() => this.#flushReceipts());
    }, RECEIPT_DELAY_MS);
  }

  /** Sends the waiting receipts, a hundred IDs to a frame, as the budget allows. */
  async #flushReceipts(): Promise<void> {
    while (this.#pendingReceipts.size > 0) {
      const ids = [...this.#pendingReceipts].slice(0, MAX_RECEIPT_IDS);
      const sent = await this.#sendEphemeral({
        v: 2,
        type: "receipt",
        id: this.#ulid(),
        ids,
        sentAt: Date.now(),
      });
      if (!sent) {
        // Over budget: try again soon. Offline: the next flush takes them.
        if (this.#peerReady(this.#socket)) this.#flushLater();
        return;
      }
      for (const id of ids) this.#pendingReceipts.delete(id);
    }
  }

  async #receive(frame: Extract<ServerFrame, { type: "message" }>): Promise<void> {
    // A message can arrive before `joined` was seen, after a reconnect.
    if (this.#conversation.peer === null) await this.#refreshPeer();
    const peer = this.#conversation.peer;
    if (peer === null || frame.from !== peer.id) {
      return this.#report("message", "A message came from someone who is not the other person");
    }
    const bodyHash = await hashBody(frame.body);
    const existing = this.#messages.find((m) => m.id === frame.id);
    if (existing !== undefined) {
      if (existing.direction === "out") {
        return this.#report("message", "A message of yours was sent back to you; rejected");
      }
      if (existing.bodyHash !== undefined && existing.bodyHash !== bodyHash) {
        // A resend is the same envelope; another body under a known ID is the
        // relay hiding a message behind a duplicate.
        return this.#report("message", "A message arrived under another message's ID; rejected");
      }
      // Already stored: the receipt was lost, so send one again; show nothing new.
      if (existing.status !== "receiving") this.#sendReceipt(frame.id);
      return;
    }
    const gone = this.#conversation.gone?.find((g) => g.id === frame.id);
    if (gone !== undefined) {
      // It disappeared here already; its sender missed the receipt.
      if (gone.bodyHash === bodyHash) this.#sendReceipt(frame.id);
      else this.#report("message", "A message arrived under another message's ID; rejected");
      return;
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
    if (payload.type === "chunk") {
      // Kept only for a file announced and accepted, at its place and size:
      // nothing else a peer sends can fill this browser's storage.
      const file = this.#find(payload.file);
      const data = decodeBase64Url(payload.data);
      const fits = file?.direction === "in" && file.status === "receiving" && file.file !== null &&
        payload.index < file.file.chunks &&
        data.length === expectedChunkBytes(file.file.size, payload.index);
      const fresh = fits &&
        await this.#options.storage.putChunk(
          this.#conversation.id,
          payload.file,
          payload.index,
          data,
        );
      await this.#save(opened.conversation);
      if (fresh) await this.#onChunk(payload);
    } else if (
      payload.type === "receipt" || payload.type === "read" || payload.type === "typing"
    ) {
      await this.#save(opened.conversation);
      if (payload.type === "typing") this.#setPeerTyping(payload.active);
      else await this.#onReceipt(payload.ids, payload.type === "read" ? "read" : "delivered");
    } else {
      const message = { ...this.#incoming(frame.id, payload), bodyHash };
      if (message.file !== null && message.file.size > this.#preferences().maxFileBytes) {
        // Kept as refused and acknowledged, so its sender stops resending it.
        message.status = "refused";
      }
      // The message is stored before the ratchet moves on: a crash in
      // between leaves a duplicate to drop, never a message lost.
      await this.#options.storage.putMessage(message);
      let next = opened.conversation;
      if (payload.type === "timer" && (next.timerId ?? "") < payload.id) {
        next = { ...next, timer: payload.seconds, timerId: payload.id };
      }
      await this.#save(next);
      this.#insert(message);
      this.#setPeerTyping(false);
      if (message.status !== "receiving") this.#sendReceipt(frame.id);
    }
    this.#emit();
    // The first message may have completed the handshake: pending ones can go.
    await this.#flush();
  }

  /** A stored message for a received text, file or timer payload. */
  #incoming(
    id: string,
    payload: Exclude<Payload, ChunkPayload | { type: "receipt" | "read" | "typing" }>,
  ): StoredMessage {
    const receivedAt = Date.now();
    const expiresIn = "expiresIn" in payload ? payload.expiresIn : 0;
    return withDefaults({
      conversationId: this.#conversation.id,
      id,
      direction: "in",
      kind: payload.type,
      text: payload.type === "text" ? payload.text : "",
      sentAt: payload.sentAt,
      status: payload.type === "file" ? "receiving" : "received",
      envelope: null,
      expiresIn,
      // Counted from arrival: the two clocks need not agree.
      expiresAt: expiresIn > 0 ? receivedAt + expiresIn * 1000 : null,
      file: payload.type === "file" ? fileInfo(payload) : null,
      timer: payload.type === "timer" ? payload.seconds : null,
    });
  }

  async #onChunk(payload: ChunkPayload): Promise<void> {
    const message = this.#messages.find((m) => m.id === payload.file && m.direction === "in");
    if (message?.file == null || message.status !== "receiving") return;
    const received = message.file.received + 1;
    await this.#update(message, { file: { ...message.file, received } });
    if (received >= message.file.chunks) await this.#completeFile(this.#find(message.id)!);
  }

  /** Puts a fully arrived file together, checks it, and acknowledges it. */
  async #completeFile(message: StoredMessage): Promise<void> {
    const info = message.file!;
    if (message.status !== "receiving" || info.received < info.chunks) return;
    const { storage } = this.#options;
    const conversationId = this.#conversation.id;
    try {
      const blob = await assembleFile(await storage.getChunks(conversationId, message.id), info);
      await storage.putFile(conversationId, message.id, blob);
      await storage.deleteChunks(conversationId, message.id);
      await this.#update(message, { status: "received" });
      this.#sendReceipt(message.id);
    } catch (error) {
      if (!(error instanceof FileIntegrityError)) throw error;
      // Start over: the sender resends when no receipt comes.
      await storage.deleteChunks(conversationId, message.id);
      await this.#update(message, { file: { ...info, received: 0 } });
      this.#report("message", `${error.message}; it was discarded`);
    }
  }

  async #onReceipt(ids: string[], status: "delivered" | "read"): Promise<void> {
    if (status === "read" && !this.#preferences().readReceipts) return;
    for (const id of ids) {
      const message = this.#find(id);
      if (message === undefined || message.direction !== "out" || message.status === "read") {
        continue;
      }
      if (message.status !== status) await this.#update(message, { status });
    }
  }

  #setPeerTyping(active: boolean): void {
    clearTimeout(this.#peerTypingTimer);
    this.#peerTyping = active;
    if (active) {
      this.#peerTypingTimer = setTimeout(() => {
        this.#peerTyping = false;
        this.#emit();
      }, TYPING_REPEAT_MS * 2);
    }
    this.#emit();
  }

  /** Deletes every message whose time is up, from storage and from view. */
  async #removeExpired(): Promise<void> {
    const now = Date.now();
    const expired = this.#messages.filter((m) => m.expiresAt !== null && m.expiresAt <= now);
    if (expired.length === 0) return;
    const gone = expired.filter((m) => m.direction === "in" && m.bodyHash !== undefined)
      .map((m) => ({ id: m.id, bodyHash: m.bodyHash! }));
    if (gone.length > 0) {
      // Remembered (IDs and hashes only), so a resend after a lost receipt
      // is acknowledged instead of failing as a reused key.
      const all = [...(this.#conversation.gone ?? []), ...gone].slice(-MAX_GONE);
      await this.#save({ ...this.#conversation, gone: all });
    }
    for (const message of expired) {
      await this.#options.storage.deleteMessage(this.#conversation.id, message.id);
    }
    this.#messages = this.#messages.filter((m) => !expired.includes(m));
    this.#emit();
  }

  async #save(conversation: StoredConversation): Promise<void> {
    try {
      await this.#options.storage.putConversation(conversation, {
        writer: this.#conversation.writer,
      });
    } catch (error) {
      if (error instanceof StaleWriterError) this.stop();
      throw error;
    }
    this.#conversation = conversation;
  }

  async #update(message: StoredMessage, changes: Partial<StoredMessage>): Promise<void> {
    const current = this.#find(message.id) ?? message;
    const updated = { ...current, ...changes };
    await this.#options.storage.putMessage(updated);
    const index = this.#messages.findIndex((m) => m.id === message.id);
    if (index >= 0) this.#messages[index] = updated;
    this.#emit();
  }

  #find(id: string): StoredMessage | undefined {
    return this.#messages.find((m) => m.id === id);
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
  #serial<T>(work: () => Promise<T>): Promise<T> {
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

/** The base64url SHA-256 of a frame body, to tell a resend from a substitute. */
async function hashBody(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  return encodeBase64Url(new Uint8Array(digest));
}

/** The byte length chunk `index` of a file of `size` bytes must have. */
function expectedChunkBytes(size: number, index: number): number {
  return Math.max(0, Math.min(FILE_CHUNK_BYTES, size - index * FILE_CHUNK_BYTES));
}

/** Fills the fields that messages stored by earlier versions lack. */
function withDefaults(
  message:
    & Omit<StoredMessage, "expiresIn" | "expiresAt" | "file" | "timer">
    & Partial<StoredMessage>,
): StoredMessage {
  return { expiresIn: 0, expiresAt: null, file: null, timer: null, ...message };
}

function fileInfo(payload: FilePayload): NonNullable<StoredMessage["file"]> {
  const { name, mime, size, sha256, chunks } = payload;
  return { name, mime, size, sha256, chunks, received: 0 };
}

/** The payload an outgoing message is sealed as. */
function payloadOf(message: StoredMessage): Payload {
  const { id, sentAt, expiresIn } = message;
  switch (message.kind) {
    case "hello":
      return { v: 2, type: "hello", id, sentAt };
    case "timer":
      return { v: 2, type: "timer", id, seconds: message.timer ?? 0, sentAt };
    case "file": {
      const { name, mime, size, sha256, chunks } = message.file!;
      return { v: 2, type: "file", id, name, mime, size, sha256, chunks, sentAt, expiresIn };
    }
    case "text":
      return { v: 2, type: "text", id, text: message.text, sentAt, expiresIn };
  }
}
