/**
 * The relay across instances over Redis pub/sub. Each conversation with
 * sockets on an instance has that instance subscribed to its channel; a
 * frame is published there only when its recipient has a socket on another
 * instance, and passes through without being stored. Joins, closes and
 * presence go the same way. When the link to Redis returns, the library
 * subscribes again and this instance announces its participants anew, so
 * browsers elsewhere resend what has no receipt.
 *
 * @module
 */
import type { Participant } from "../../protocol/conversation_record.ts";
import type { ClosedReason } from "../../protocol/server_frames.ts";
import type { Logger } from "../log.ts";
import type { ClusterListener, RelayCluster } from "../relay_cluster.ts";
import { KEY_PREFIX, type RedisConnection } from "./client.ts";
import { Presence } from "./presence.ts";

/** The pub/sub channel of a conversation. */
export function channelOf(conversationId: string): string {
  return `${KEY_PREFIX}channel:${conversationId}`;
}

/** What one instance publishes on a conversation's channel; `i` is its instance ID. */
type BusMessage =
  | { i: string; t: "frame"; to: string; text: string }
  | { i: string; t: "presence"; p: string; on: boolean }
  | { i: string; t: "joined"; participant: Participant }
  | { i: string; t: "closed"; reason: ClosedReason };

/** Distributive `Omit`, so each message keeps its own fields. */
type Unsent<T> = T extends unknown ? Omit<T, "i"> : never;

/** Options of {@linkcode RedisRelayCluster.start}. */
export interface RedisRelayClusterOptions {
  log: Logger;
  /** Lease lifetime and heartbeat, in milliseconds. */
  leaseMs?: number;
  heartbeatMs?: number;
}

/** The other instances, reached through Redis. */
export class RedisRelayCluster implements RelayCluster {
  #link: RedisConnection;
  #presence: Presence;
  #listener: ClusterListener | null = null;
  #watched = new Map<string, Promise<void>>();
  /** Watched conversations whose channel is subscribed; the library renews these after a loss. */
  #subscribed = new Set<string>();
  #log: Logger;

  private constructor(link: RedisConnection, options: RedisRelayClusterOptions) {
    this.#link = link;
    this.#log = options.log;
    this.#presence = new Presence(link.command, {
      leaseMs: options.leaseMs,
      heartbeatMs: options.heartbeatMs,
      onChange: (c, p, online) => this.#listener?.presence(c, p, online),
    });
    link.onChange((up) => {
      if (!up) {
        this.#presence.lost();
        return this.#listener?.link(false);
      }
      this.#restore().catch(() => this.#log("redis_restore_failed"));
    });
  }

  /** Takes this instance's lease and starts its heartbeat. */
  static async start(
    link: RedisConnection,
    options: RedisRelayClusterOptions,
  ): Promise<RedisRelayCluster> {
    const cluster = new RedisRelayCluster(link, options);
    await cluster.#presence.start();
    return cluster;
  }

  listen(listener: ClusterListener): void {
    this.#listener = listener;
  }

  watch(conversationId: string): Promise<void> {
    const existing = this.#watched.get(conversationId);
    if (existing !== undefined) return existing;
    const watching = (async () => {
      await this.#subscribe(conversationId);
      await this.#presence.load(conversationId);
    })().catch(() => {
      // Redis is away: the restore will read presence again.
    });
    this.#watched.set(conversationId, watching);
    return watching;
  }

  unwatch(conversationId: string): void {
    if (!this.#watched.delete(conversationId)) return;
    this.#subscribed.delete(conversationId);
    this.#presence.forget(conversationId);
    this.#link.subscriber.unsubscribe(channelOf(conversationId)).catch(() => {});
  }

  onlineElsewhere(conversationId: string, participantId: string): boolean {
    return this.#presence.elsewhere(conversationId, participantId);
  }

  announce(conversationId: string, participantId: string, online: boolean): void {
    this.#presence.setLocal(conversationId, participantId, online).catch(() => {});
    this.#publish(conversationId, { t: "presence", p: participantId, on: online });
  }

  forward(conversationId: string, to: string, text: string): boolean {
    return this.#publish(conversationId, { t: "frame", to, text });
  }

  joined(conversationId: string, participant: Participant): void {
    this.#publish(conversationId, { t: "joined", participant });
  }

  closed(conversationId: string, reason: ClosedReason): void {
    this.#publish(conversationId, { t: "closed", reason });
  }

  async close(): Promise<void> {
    this.#listener = null;
    await this.#presence.close();
  }

  /** Subscribes to a watched conversation's channel, once. */
  async #subscribe(conversationId: string): Promise<void> {
    if (this.#subscribed.has(conversationId)) return;
    await this.#link.subscriber.subscribe(
      channelOf(conversationId),
      (message: string) => this.#dispatch(conversationId, message),
    );
    // Unwatched meanwhile: leave the channel again.
    if (!this.#watched.has(conversationId)) {
      return void this.#link.subscriber.unsubscribe(channelOf(conversationId)).catch(() => {});
    }
    this.#subscribed.add(conversationId);
  }

  /** Publishes unless Redis is away; tells whether it was sent. */
  #publish(conversationId: string, message: Unsent<BusMessage>): boolean {
    if (!this.#link.ready) return false;
    const text = JSON.stringify({ i: this.#presence.instanceId, ...message });
    this.#link.command.publish(channelOf(conversationId), text).catch(() => {});
    return true;
  }

  #dispatch(conversationId: string, text: string): void {
    const listener = this.#listener;
    let message: BusMessage;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (listener === null || message.i === this.#presence.instanceId) return;
    switch (message.t) {
      case "frame":
        return listener.deliver(conversationId, message.to, message.text);
      case "presence":
        return this.#presence.seen(conversationId, message.p, message.i, message.on);
      case "joined":
        return listener.joined(conversationId, message.participant);
      case "closed":
        return listener.closed(conversationId, message.reason);
    }
  }

  /** After a loss: lease, presence here (announced again) and elsewhere, then the hub. */
  async #restore(): Promise<void> {
    // A watch that began while Redis was away has no subscription to renew.
    for (const id of this.#watched.keys()) await this.#subscribe(id);
    await this.#presence.restore();
    for (const [c, p] of this.#presence.localEntries()) {
      this.#publish(c, { t: "presence", p, on: true });
    }
    this.#listener?.link(true);
  }
}
