/**
 * Summarizes a V8 CPU profile (`deno run --cpu-prof`, as `deno task bench
 * --cpu-prof=DIR` writes for the app's creates and joins): the functions
 * with the most self time, and the share of time under each of the
 * project's own functions (self plus callees).
 *
 * `deno run -A bench/profile_summary.ts FILE.cpuprofile [TOP]`
 *
 * @module
 */

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
}

function nameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/(lib|bench|routes|node_modules|ext)\//, "$1/");
  return `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
}

/** Self time and total (inclusive) time per function, as shares of the samples. */
export function summarize(profile: Profile): { self: ProfileLine[]; total: ProfileLine[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const weight = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    weight.set(id, (weight.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  let all = 0;
  for (const w of weight.values()) all += w;
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
    [...map].map(([name, w]) => ({ name, share: w / all })).sort((a, b) => b.share - a.share);
  return { self: lines(self), total: lines(total) };
}

if (import.meta.main) {
  const [file, top = "25"] = Deno.args;
  const { self, total } = summarize(JSON.parse(await Deno.readTextFile(file)));
  const print = (title: string, lines: ProfileLine[]) => {
    console.log(`\n${title}`);
    for (const line of lines.slice(0, Number(top))) {
      console.log(`${(line.share * 100).toFixed(1).padStart(6)} %  ${line.name}`);
    }
  };
  print("self time", self);
  print(
    "total time (self and callees), project code",
    total.filter((l) => /lib\/|routes\//.test(l.name)),
  );
}
