/**
 * A minimal client of the V8 inspector protocol over its WebSocket, enough
 * for the benchmark to force a garbage collection in a server process and
 * read its heap from outside.
 *
 * @module
 */

/** One connection to a process's inspector. */
export class Inspector {
  #socket: WebSocket;
  #next = 0;
  #pending = new Map<number, (reply: { result?: unknown; error?: unknown }) => void>();

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener("message", (event) => {
      const reply = JSON.parse(event.data);
      if (typeof reply.id === "number") this.#pending.get(reply.id)?.(reply);
    });
  }

  /** Connects to the inspector WebSocket at `url`. */
  static async connect(url: string): Promise<Inspector> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve);
      socket.addEventListener("error", () => reject(new Error(`Cannot open "${url}"`)));
    });
    return new Inspector(socket);
  }

  /** Calls a protocol method and returns its result. */
  call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = ++this.#next;
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    const timer = setTimeout(() => reject(new Error(`Inspector: no answer to ${method}`)), 60_000);
    this.#pending.set(id, (reply) => {
      clearTimeout(timer);
      this.#pending.delete(id);
      if (reply.error !== undefined) {
        reject(new Error(`Inspector: ${method} failed: ${JSON.stringify(reply.error)}`));
      } else resolve(reply.result);
    });
    this.#socket.send(JSON.stringify({ id, method, params }));
    return promise;
  }

  close(): void {
    this.#socket.close();
  }
}
