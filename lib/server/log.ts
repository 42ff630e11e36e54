/**
 * Structured logging: one JSON line per event. Callers pass only what is safe
 * to keep: event names, error codes, counts and shortened conversation IDs.
 * There is deliberately no way to log a request, an address or a body.
 *
 * @module
 */

/** A value a log field may hold. */
export type LogValue = string | number | boolean;

/** Writes one event. */
export type Logger = (event: string, fields?: Record<string, LogValue>) => void;

/** A logger that writes JSON lines to standard output. */
export function consoleLogger(): Logger {
  return (event, fields = {}) => {
    console.log(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
  };
}

/**
 * Shortens a conversation ID for logs: the last six characters, enough to
 * follow one conversation through a log, too few to open it.
 */
export function shortId(id: string): string {
  return `…${id.slice(-6)}`;
}
