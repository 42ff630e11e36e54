/**
 * Who is online where, across instances. Each instance holds a lease, a key
 * that lives {@linkcode PresenceOptions.leaseMs} and is renewed by a
 * heartbeat; each conversation with sockets has a hash of
 * `participantId@instanceId` fields, short-lived too. An instance that dies
 * without a goodbye loses its lease within a lease's time, and the others
 * then report its participants offline. Nothing here holds more than
 * participant and instance IDs.
 *
 * @module
 */
import { ulid } from "ulid";
import { KEY_PREFIX, type RedisClient } from "./client.ts";

/** The key of an instance's lease. */
export function leaseKey(instanceId: string): string {
  return `${KEY_PREFIX}instance:${instanceId}`;
}

/** The key of a conversation's presence hash. */
export function presenceKey(conversationId: string): string {
  return `${KEY_PREFIX}presence:${conversationId}`;
}

/** Timings of {@linkcode Presence}. */
export interface PresenceOptions {
  /** How long a lease lives without renewal; 3 s by default. */
  leaseMs?: number;
  /** How often the lease is renewed and the others' leases checked; 1 s by default. */
  heartbeatMs?: number;
  /** Called when a participant comes online elsewhere, or has no instance left elsewhere. */
  onChange: (conversationId: string, participantId: string, online: boolean) => void;
}

/** This instance's lease and its view of the others' participants. */
export class Presence {
  /** This instance's ID, new at each start. */
  readonly instanceId: string = ulid();
  #redis: RedisClient;
  #leaseMs: number;
  #heartbeatMs: number;
  #onChange: PresenceOptions["onChange"];
  /** Conversation → participants with a socket here. */
  #local = new Map<string, Set<string>>();
  /** Watched conversation → participant → instances elsewhere holding a socket of theirs. */
  #remote = new Map<string, Map<string, Set<string>>>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(redis: RedisClient, options: PresenceOptions) {
    this.#redis = redis;
    this.#leaseMs = options.leaseMs ?? 3000;
    this.#heartbeatMs = options.heartbeatMs ?? 1000;
    this.#onChange = options.onChange;
  }

  /** Takes the lease and starts the heartbeat. */
  async start(): Promise<void> {
    await this.#renew();
    this.#timer = setInterval(() => this.#beat().catch(() => {}), this.#heartbeatMs);
  }

  /** Whether `participantId` has a socket on another live instance. */
  elsewhere(conversationId: string, participantId: string): boolean {
    return (this.#remote.get(conversationId)?.get(participantId)?.size ?? 0) > 0;
  }

  /** Reads who is online elsewhere in a conversation, reporting each one found. */
  async load(conversationId: string): Promise<void> {
    const remote = this.#remote.get(conversationId) ?? new Map<string, Set<string>>();
    this.#remote.set(conversationId, remote);
    const fields = Object.keys(await this.#redis.hGetAll(presenceKey(conversationId)));
    const entries = fields.map((field) => field.split("@"))
      .filter(([, instance]) => instance !== undefined && instance !== this.instanceId);
    const alive = await this.#alive(entries.map(([, instance]) => instance));
    for (const [participant, instance] of entries) {
      if (alive.has(instance)) this.seen(conversationId, participant, instance, true);
    }
  }

  /** Forgets a conversation that has no socket here any more. */
  forget(conversationId: string): void {
    this.#remote.delete(conversationId);
  }

  /** Records that another instance reported `participantId` online or offline there. */
  seen(conversationId: string, participantId: string, instance: string, online: boolean): void {
    const remote = this.#remote.get(conversationId);
    if (remote === undefined) return;
    const instances = remote.get(participantId) ?? new Set<string>();
    if (online) {
      instances.add(instance);
      remote.set(participantId, instances);
      return this.#onChange(conversationId, participantId, true);
    }
    if (!instances.delete(instance)) return;
    if (instances.size === 0) {
      remote.delete(participantId);
      this.#onChange(conversationId, participantId, false);
    }
  }

  /** Records a participant's presence here and writes it to Redis (failures are retried on restore). */
  async setLocal(conversationId: string, participantId: string, online: boolean): Promise<void> {
    const local = this.#local.get(conversationId) ?? new Set<string>();
    const key = presenceKey(conversationId);
    const field = `${participantId}@${this.instanceId}`;
    if (online) {
      local.add(participantId);
      this.#local.set(conversationId, local);
      await this.#redis.hSet(key, field, "1");
      await this.#redis.pExpire(key, this.#leaseMs * 10);
    } else {
      local.delete(participantId);
      if (local.size === 0) this.#local.delete(conversationId);
      await this.#redis.hDel(key, field);
    }
  }

  /** Every participant online here, by conversation, to announce again after a loss. */
  localEntries(): [string, string][] {
    return [...this.#local].flatMap(([c, ps]) => [...ps].map((p): [string, string] => [c, p]));
  }

  /** The link to Redis is lost: nobody elsewhere can be vouched for any more. */
  lost(): void {
    for (const [conversationId, remote] of this.#remote) {
      const participants = [...remote.keys()];
      remote.clear();
      for (const p of participants) this.#onChange(conversationId, p, false);
    }
  }

  /** The link is back: retakes the lease, rewrites presence here, and reads it elsewhere. */
  async restore(): Promise<void> {
    await this.#renew();
    for (const [c, p] of this.localEntries()) await this.setLocal(c, p, true);
    for (const conversationId of [...this.#remote.keys()]) await this.load(conversationId);
  }

  /** Stops the heartbeat, withdraws presence here and gives up the lease. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    const entries = this.localEntries();
    this.#local.clear();
    await Promise.allSettled([
      ...entries.map(([c, p]) => this.#redis.hDel(presenceKey(c), `${p}@${this.instanceId}`)),
      this.#redis.del(leaseKey(this.instanceId)),
    ]);
  }

  async #renew(): Promise<void> {
    await this.#redis.set(leaseKey(this.instanceId), "1", {
      expiration: { type: "PX", value: this.#leaseMs },
    });
  }

  /** Renews the lease and presence keys here; drops instances whose lease ran out. */
  async #beat(): Promise<void> {
    await this.#renew();
    await Promise.all(
      [...this.#local.keys()].map((c) => this.#redis.pExpire(presenceKey(c), this.#leaseMs * 10)),
    );
    const instances = new Set<string>();
    for (const remote of this.#remote.values()) {
      for (const set of remote.values()) for (const i of set) instances.add(i);
    }
    const alive = await this.#alive([...instances]);
    for (const dead of [...instances].filter((i) => !alive.has(i))) {
      for (const [conversationId, remote] of this.#remote) {
        for (const participant of [...remote.keys()]) {
          this.seen(conversationId, participant, dead, false);
        }
      }
    }
  }

  /** Which of `instances` still hold a lease. */
  async #alive(instances: string[]): Promise<Set<string>> {
    const unique = [...new Set(instances)];
    const found = await Promise.all(unique.map((i) => this.#redis.exists(leaseKey(i))));
    return new Set(unique.filter((_, n) => found[n] === 1));
  }
}
