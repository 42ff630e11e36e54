/**
 * The phases of the chat page, and the first step of each page load: what
 * follows from the invite fragment in the address (or none) and from what
 * this browser keeps. A helper of the chat island; it reads the network and
 * IndexedDB but holds no state of its own.
 *
 * @module
 */
import { IdbStorage } from "../../lib/client/idb_storage.ts";
import { checkBrowserSupport } from "../../lib/client/support.ts";
import type { Invite } from "../../lib/crypto/invite.ts";
import type { NoticePhase } from "./PhaseNotice.tsx";

/** The page offers to join by an invite, with the creator's key fingerprint. */
export interface InvitePhase {
  name: "invite";
  expiresAt: string;
  fingerprint: string;
  joining: boolean;
  error: string | null;
}

/** What the chat page shows: opening, a notice, an invite to join, or the conversation. */
export type ChatPhase =
  | { name: "opening" }
  | NoticePhase
  | InvitePhase
  | { name: "chat" };

/**
 * What follows from a page load: open the conversation kept here, show a
 * phase, or offer to join by `invite` (kept in memory only, never stored).
 */
export type BootStep =
  | { next: "open" }
  | { next: "show"; phase: ChatPhase }
  | { next: "offer"; invite: Invite; phase: InvitePhase };

/** Reads an invite fragment (or none) and tells what follows from it. */
export async function bootStep(conversationId: string, fragment: string): Promise<BootStep> {
  const reason = await checkBrowserSupport();
  if (reason !== null) {
    return { next: "show", phase: { name: "unsupported", reason } };
  }
  const storage = new IdbStorage();
  const kept = await storage.getConversation(conversationId) !== undefined;
  if (fragment) {
    // The invite code (and the key making of a join) is fetched with a link only.
    const { inviteStep } = await import("./invite_step.ts");
    return await inviteStep(conversationId, fragment, storage, kept, reloaded());
  }
  if (kept) return { next: "open" };
  return { next: "show", phase: { name: reloaded() ? "invite_lost" : "not_here" } };
}

/** Tells whether the page is opening, showing or joining a conversation, when a new link waits. */
export function isBusy(phase: ChatPhase): boolean {
  return phase.name === "opening" || phase.name === "chat" ||
    (phase.name === "invite" && phase.joining);
}

/** Whether this page load is a reload (or a return through history) of the page. */
function reloaded(): boolean {
  const [entry] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
  return entry?.type === "reload" || entry?.type === "back_forward";
}
