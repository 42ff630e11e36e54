/**
 * Declining a file by choice. The receiver of a file still arriving keeps it
 * as refused ("declined"), throws away the chunks it has, and sends the
 * sealed refusal of `file_refusal.ts`; its sender then shows "Not accepted
 * by the other person: declined" and stops sending. A declined file's
 * announcement that comes again is answered with the refusal again, as for
 * any refused file (see `inbox.ts`).
 *
 * @module
 */
import type { ClientState } from "./client_state.ts";
import type { Courier } from "./courier.ts";
import { sendRefusal } from "./file_refusal.ts";
import type { StoredMessage } from "./storage.ts";

/** The parts declining works with. */
export interface FileDeclineParts {
  state: ClientState;
  courier: Courier;
  /** Lets go of what is kept in memory of a file still arriving. */
  forget(fileId: string): void;
}

/** Whether this person may decline `message` now: an incoming file still arriving. */
export function canDecline(message: StoredMessage): boolean {
  return message.kind === "file" && message.direction === "in" && message.file !== null &&
    message.status === "receiving" && message.file.cancelled === undefined;
}

/**
 * Declines incoming file `id`; false when it is not a file still arriving.
 * Run it in the state queue.
 */
export async function declineFile(parts: FileDeclineParts, id: string): Promise<boolean> {
  const { state, courier } = parts;
  const message = state.find(id);
  if (message === undefined || !canDecline(message)) return false;
  await state.update(message, { status: "refused", refusal: "declined" });
  parts.forget(id);
  await state.storage.deleteChunks(state.conversation.id, id);
  await sendRefusal(state, courier, id, "declined");
  return true;
}
