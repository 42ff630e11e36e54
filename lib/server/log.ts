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

const encoder = new TextEncoder();

/**
 * A logger that writes JSON lines to standard output, each with one write
 * of its bytes (`console.log` formats its argument first: twice the CPU per
 * line). A line that cannot be written (standard output closed) is dropped:
 * logging never fails the request it reports.
 */
export function consoleLogger(): Logger {
  return (event, fields = {}) => {
    const line = JSON.stringify({ time: new Date().toISOString(), event, ...fields }) + "\n";
    try {
      const bytes = encoder.encode(line);
      for (let written = 0; written < bytes.length;) {
        written += Deno.stdout.writeSync(bytes.subarray(written));
      }
    } catch {
      // Dropped, as the comment above says.
    }
  };
}

/**
 * Shortens a conversation ID for logs: the last six characters, enough to
 * follow one conversation through a log, too few to open it.
 */
export function shortId(id: string): string {
  return `…${id.slice(-6)}`;
}
