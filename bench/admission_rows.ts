/**
 * The rows of creates and joins. The target ("at most 0.5 ms of server CPU
 * each, excluding the fsync") is checked on the run with the data directory
 * on a tmpfs, where a flush writes nothing: that figure is all the server
 * does for a request (HTTP, parsing, both signature checks, the file calls)
 * except the cost of reaching the disk, and nothing is subtracted from it.
 * The run on the disk is shown beside it, whole and less the bare relay's
 * durable create of the same round (which also takes away the cost of the
 * HTTP request itself, so it flatters the app and is information only).
 * Without a tmpfs the target falls back to that difference, and says so.
 *
 * @module
 */
import type { AdmissionFigures } from "./admissions.ts";
import type { AdmissionRounds } from "./admission_phase.ts";
import { ratios, type Row, spread } from "./report.ts";

/** The target of CPU per create and per join, in ms. */
export const ADMISSION_MS = 0.5;

const ms = (runs: AdmissionFigures[]) => runs.map((f) => f.cpuMicros / 1000);

/** The target rows (first) and the information rows of creates and joins. */
export function admissionRows(admissions: AdmissionRounds): { targets: Row[]; info: Row[] } {
  const targets: Row[] = [];
  const info: Row[] = [];
  const { tmpfs } = admissions;
  const bareDisk = ms(admissions.bareCreate);
  for (const label of ["create", "join"] as const) {
    const disk = ms(label === "create" ? admissions.appCreate : admissions.appJoin);
    const lessBare = spread(disk.map((value, i) => value - bareDisk[i]));
    if (tmpfs !== null) {
      const app = spread(ms(label === "create" ? tmpfs.appCreate : tmpfs.appJoin));
      targets.push({
        label: `server CPU per ${label}, data directory on tmpfs: no fsync (ms)`,
        app,
        bare: label === "create" ? spread(ms(tmpfs.bareCreate)) : null,
        ratio: app.median,
        target: `<= ${ADMISSION_MS} ms`,
        pass: app.median <= ADMISSION_MS,
      });
    } else {
      targets.push({
        label: `server CPU per ${label} on disk less the bare durable create, no tmpfs (ms)`,
        app: lessBare,
        bare: null,
        ratio: lessBare.median,
        target: `<= ${ADMISSION_MS} ms`,
        pass: lessBare.median <= ADMISSION_MS,
      });
    }
    if (tmpfs !== null) {
      const main = (runs: AdmissionFigures[]) => runs.map((f) => f.mainMicros / 1000);
      info.push(row(
        `of which the main thread (JavaScript, HTTP), ${label} on tmpfs (ms)`,
        main(label === "create" ? tmpfs.appCreate : tmpfs.appJoin),
        label === "create" ? main(tmpfs.bareCreate) : null,
      ));
    }
    info.push(row(
      `server CPU per ${label} on disk, with its fsync (ms)`,
      disk,
      label === "create" ? bareDisk : null,
    ));
    if (tmpfs !== null) {
      info.push({
        label: `server CPU per ${label} on disk less the bare durable create (ms)`,
        app: lessBare,
        bare: null,
        ratio: null,
        target: "",
        pass: null,
      });
    }
  }
  info.push(row(
    "creates per second on disk",
    admissions.appCreate.map((f) => f.perSecond),
    admissions.bareCreate.map((f) => f.perSecond),
  ));
  info.push(row("joins per second on disk", admissions.appJoin.map((f) => f.perSecond), null));
  info.push(row(
    "user CPU per create on disk (ms)",
    admissions.appCreate.map((f) => f.userMicros / 1000),
    admissions.bareCreate.map((f) => f.userMicros / 1000),
  ));
  info.push(
    row("user CPU per join on disk (ms)", admissions.appJoin.map((f) => f.userMicros / 1000), null),
  );
  return { targets, info };
}

function row(label: string, app: number[], bare: number[] | null): Row {
  return {
    label,
    app: spread(app),
    bare: bare === null ? null : spread(bare),
    ratio: bare === null ? null : ratios(app, bare),
    target: "",
    pass: null,
  };
}
