/**
 * The two liveness frames of the conversation socket, in the one spelling
 * both sides write. The server sends {@linkcode PING_FRAME_TEXT} to an
 * authenticated socket that has sent nothing for half the idle time
 * (`IDLE_TIMEOUT_MS`); the client answers {@linkcode PONG_FRAME_TEXT} at
 * once. The server counts a pong, like any frame, as a sign of life and
 * relays it to no one; a socket silent for the whole idle time is closed
 * (1001, `idle_timeout`).
 *
 * @module
 */

/** The server's `ping` frame, as `JSON.stringify({ type: "ping" })` writes it. */
export const PING_FRAME_TEXT = '{"type":"ping"}';

/** The client's `pong` frame, as `JSON.stringify({ type: "pong" })` writes it. */
export const PONG_FRAME_TEXT = '{"type":"pong"}';
