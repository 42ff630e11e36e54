/**
 * The runtime's ceiling: a bare `Deno.upgradeWebSocket` relay that forwards
 * each text frame to the other socket of a room, and a create endpoint that
 * writes one file the same durable way the app does. No parsing, checks or
 * limits. Run as its own process by `bench/server_process.ts`. It keeps the
 * runtime's defaults, which include liveness pings (`idleTimeout`, 30 s by
 * default: a timer per socket, cleared and armed again on every frame);
 * `BARE_IDLE_TIMEOUT_MS` sets another idle timeout, `0` none, to see what
 * they cost.
 *
 * @module
 */
import { ulid } from "ulid";

if (import.meta.main) {
  const dataDir = Deno.env.get("DATA_DIR") ?? await Deno.makeTempDir();
  const rooms = new Map<string, Set<WebSocket>>();
  const idleMs = Deno.env.get("BARE_IDLE_TIMEOUT_MS");
  Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ port }) => console.log(JSON.stringify({ event: "listening", port })),
  }, async (req) => {
    const { pathname } = new URL(req.url);
    if (req.method === "POST" && pathname === "/create") {
      const body = await req.text();
      const id = ulid();
      const temp = `${dataDir}/.${id}.tmp`;
      const file = await Deno.open(temp, { write: true, createNew: true });
      await file.write(new TextEncoder().encode(body));
      await file.sync();
      file.close();
      await Deno.rename(temp, `${dataDir}/${id}.json`);
      const dir = await Deno.open(dataDir, { read: true });
      await dir.sync();
      dir.close();
      return Response.json({ id }, { status: 201 });
    }
    const room = pathname.startsWith("/relay/") ? pathname.slice(7) : null;
    if (room === null) return new Response("not found", { status: 404 });
    const { socket, response } = Deno.upgradeWebSocket(
      req,
      idleMs === undefined ? {} : { idleTimeout: Number(idleMs) / 1000 },
    );
    const members = rooms.get(room) ?? new Set();
    rooms.set(room, members);
    members.add(socket);
    socket.addEventListener("message", (event) => {
      for (const other of members) {
        if (other !== socket && other.readyState === WebSocket.OPEN) other.send(event.data);
      }
    });
    socket.addEventListener("close", () => {
      members.delete(socket);
      if (members.size === 0) rooms.delete(room);
    });
    return response;
  });
}
