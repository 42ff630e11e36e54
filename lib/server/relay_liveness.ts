/**
 * Liveness of the relay's authenticated sockets: one interval for the whole
 * server instead of a timer per socket that the runtime would clear and
 * arm again on every frame. Each socket already keeps when it last sent a
 * frame ({@linkcode RelaySocket.heardAt}); every sweep sends a `ping` to
 * each authenticated socket silent for half the idle time, once per
 * silence, and hands over each one silent for the whole idle time to be
 * closed. A client answers a ping with a `pong` at once, so a live but
 * quiet socket stays open, and a dead peer is found within the idle time
 * and one sweep interval. Sockets still authenticating are left to their
 * own deadline.
 *
 * The times are wall-clock readings (`Date.now()`, which the relay reads
 * anyway); a sweep that finds the wall clock moved otherwise than the
 * monotonic one (an NTP step, a resumed VM) counts every socket as heard
 * at that moment, so a step forward closes nobody at once; after a step
 * back a socket last heard "later" counts as heard now, which delays its
 * close by at most the step.
 *
 * @module
 */
import type { RelayRoom } from "./relay_room.ts";
import type { RelaySocket } from "./relay_socket.ts";

/** Sweeps per idle time: a dead socket is closed at most a sixth of it late. */
const SWEEPS_PER_IDLE_TIME = 6;

/** What {@linkcode LivenessSweep} needs of the hub. */
export interface LivenessOptions {
  /** A socket silent for this long is dead, in milliseconds; pinged after half of it. */
  idleTimeoutMs: number;
  /** The rooms to sweep, read at every sweep. */
  rooms: () => Iterable<RelayRoom>;
  /** Closes and releases a socket found dead. */
  onSilent: (room: RelayRoom, socket: RelaySocket) => void;
}

/** The one timer that pings quiet sockets and finds dead ones. */
export class LivenessSweep {
  #options: LivenessOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** The last sweep's wall-clock and monotonic readings. */
  #sweptAt = -Infinity;
  #sweptAtMono = -Infinity;
  /** When the wall clock was last seen to step; no socket counts as heard earlier. */
  #steppedAt = -Infinity;

  constructor(options: LivenessOptions) {
    this.#options = options;
  }

  /** Milliseconds between sweeps. */
  get intervalMs(): number {
    return Math.ceil(this.#options.idleTimeoutMs / SWEEPS_PER_IDLE_TIME);
  }

  /** Starts sweeping, if not already under way. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.sweep(), this.intervalMs);
  }

  /** Stops sweeping, as when no socket is left. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * One sweep at `now` (wall clock; `mono` the monotonic clock): pings the
   * authenticated sockets silent for half the idle time and hands over
   * those silent for all of it.
   */
  sweep(now: number = Date.now(), mono: number = performance.now()): void {
    const { idleTimeoutMs, onSilent } = this.#options;
    const drift = (now - this.#sweptAt) - (mono - this.#sweptAtMono);
    if (Math.abs(drift) > this.intervalMs) this.#steppedAt = now;
    this.#sweptAt = now;
    this.#sweptAtMono = mono;
    const steppedAt = this.#steppedAt;
    const pingAfter = idleTimeoutMs / 2;
    const dead: [RelayRoom, RelaySocket][] = [];
    for (const room of this.#options.rooms()) {
      for (const socket of room.sockets) {
        if (socket.participantId === null || socket.released) continue;
        const heardAt = socket.heardAt;
        // Heard before a step of the clock: at the step; after now (the clock went back): now.
        const silent = now - (heardAt > now ? now : heardAt < steppedAt ? steppedAt : heardAt);
        if (silent >= idleTimeoutMs) dead.push([room, socket]);
        else if (silent >= pingAfter) socket.ping(now);
      }
    }
    // Closed after the walk: releasing a socket changes the rooms walked.
    for (const [room, socket] of dead) onSilent(room, socket);
  }
}
