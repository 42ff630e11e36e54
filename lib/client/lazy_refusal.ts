/**
 * The refusal steps of `file_refusal.ts` as the inbox calls them, their code
 * fetched the first time a file is refused here or a refusal arrives: a
 * conversation without refused files never loads it. A failed fetch throws
 * where the step would have thrown, so the inbox handles it as any error of
 * that step: a problem shows, and the refusal is said again when the file's
 * announcement comes again.
 *
 * @module
 */
type Steps = typeof import("./file_refusal.ts");

const steps = (): Promise<Steps> => import("./file_refusal.ts");

/** Fetches the refusal steps, so that a failed fetch comes before anything is taken. */
export async function loadRefusalSteps(): Promise<void> {
  await steps();
}

/** `sendRefusal` of `file_refusal.ts`, fetched on first use. */
export async function sendRefusal(...args: Parameters<Steps["sendRefusal"]>): Promise<boolean> {
  return await (await steps()).sendRefusal(...args);
}

/** `applyRefusal` of `file_refusal.ts`, fetched on first use. */
export async function applyRefusal(...args: Parameters<Steps["applyRefusal"]>): Promise<void> {
  await (await steps()).applyRefusal(...args);
}
