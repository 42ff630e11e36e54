/**
 * Summarizes a V8 CPU profile (`deno run --cpu-prof`, as `deno task bench
 * --cpu-prof=DIR` writes for the app's creates and joins): the functions
 * with the most self time, and the share of time under each of the
 * project's own functions (self plus callees).
 *
 * `deno run -A bench/profile_summary.ts FILE.cpuprofile [TOP] [--from=TEXT]
 * [--until=TEXT] [--requests=N]`
 *
 * With `--from`, only samples from the first one whose stack names a
 * function matching TEXT count (e.g. `--from=routes/api/conversations/index.ts`
 * for the creates, skipping the server's start), up to the first matching
 * `--until`; with `--requests=N` each line also gives microseconds per
 * request, idle time left out, so the time of one request can be accounted.
 *
 * @module
 */
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One line of the summary. */
export interface ProfileLine {
  name: string;
  /** Share of all samples, 0 to 1. */
  share: number;
  /** Time in microseconds. */
  micros: number;
}

/** Which samples count: from the first whose stack matches `from`, to the first matching `until`. */
export interface ProfileWindow {
  from?: string;
  until?: string;
}

function nameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/(lib|bench|routes|node_modules|ext)\//, "$1/");
  return `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
}

/** Self time and total (inclusive) time per function, as shares of the samples. */
export function summarize(
  profile: Profile,
  window: ProfileWindow = {},
): { self: ProfileLine[]; total: ProfileLine[]; busyMicros: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const stackMatches = (id: number, text: string) => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (nameOf(byId.get(at)!).includes(text)) return true;
    }
    return false;
  };
  const weight = new Map<number, number>();
  let counting = window.from === undefined;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    if (!counting && stackMatches(id, window.from!)) counting = true;
    if (counting && window.until !== undefined && stackMatches(id, window.until)) break;
    // A sample's delta is the time before it, spent in what it shows.
    if (counting) weight.set(id, (weight.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let all = 0;
  let idle = 0;
  for (const [id, w] of weight) {
    all += w;
    if (byId.get(id)!.callFrame.functionName === "(idle)") idle += w;
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, w] of weight) {
    const node = byId.get(id)!;
    self.set(nameOf(node), (self.get(nameOf(node)) ?? 0) + w);
    // Count each function once per sample, however deep its recursion.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = nameOf(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + w);
    }
  }
  const lines = (map: Map<string, number>) =>
    [...map].map(([name, w]) => ({ name, share: w / all, micros: w }))
      .sort((a, b) => b.share - a.share);
  return { self: lines(self), total: lines(total), busyMicros: all - idle };
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      from: { type: "string" },
      until: { type: "string" },
      requests: { type: "string" },
    },
  });
  const [file, top = "25"] = positionals;
  const { self, total, busyMicros } = summarize(
    JSON.parse(await Deno.readTextFile(file)),
    { from: values.from, until: values.until },
  );
  const requests = values.requests === undefined ? null : Number(values.requests);
  const perRequest = (micros: number) =>
    requests === null ? "" : `${(micros / requests).toFixed(1).padStart(8)} us/req  `;
  const print = (title: string, lines: ProfileLine[]) => {
    console.log(`\n${title}`);
    for (const line of lines.slice(0, Number(top))) {
      console.log(
        `${(line.share * 100).toFixed(1).padStart(6)} %  ${perRequest(line.micros)}${line.name}`,
      );
    }
  };
  console.log(`busy (not idle): ${(busyMicros / 1000).toFixed(1)} ms ${perRequest(busyMicros)}`);
  print("self time", self);
  print(
    "total time (self and callees), project code",
    total.filter((l) => /lib\/|routes\//.test(l.name)),
  );
}
