/**
 * Refused files, both ways. The receiver of a file it does not accept (above
 * its file limit, or no room to keep it) keeps it as refused and sends an
 * encrypted refusal instead of a delivery receipt; it sends it again when
 * the announcement comes again. The sender marks its file refused, with the
 * reason, stops sending its chunks and stops resending it. A refusal names
 * only a file of the sender's own, sent and not yet read.
 *
 * Only a file refused fetches this code: the inbox reaches it through
 * `lazy_refusal.ts`, the file bubble, file transfer and declines are
 * fetched themselves when used.
 *
 * @module
 */
import type { RefusalPayload, RefusalReason } from "../crypto/payload.ts";
import { t } from "../i18n/i18n.ts";
import type { ClientState } from "./client_state.ts";
import type { Courier } from "./courier.ts";
import type { StoredMessage } from "./storage.ts";

/** The message keys of what the sender is told, for each reason. */
export const REFUSAL_KEYS: Record<RefusalReason, string> = {
  too_large: "files.refused_too_large",
  no_space: "files.refused_no_space",
  declined: "files.refused_declined",
};

/** What a file bubble says about a refused file, on either side. */
export function describeRefusal(message: StoredMessage): string {
  const reason = message.refusal ?? "too_large";
  if (message.direction === "out") return t(REFUSAL_KEYS[reason]);
  if (reason === "declined") return t("files.declined_by_you");
  return reason === "no_space"
    ? t("files.refused_here_no_space")
    : t("files.refused_here_too_large");
}

/**
 * Receiver: tells the peer that file `fileId` was not accepted. Sent at once
 * if the session allows; a lost refusal is sent again (`again`) when the
 * sender resends the announcement. Reports whether it went out.
 */
export function sendRefusal(
  state: ClientState,
  courier: Courier,
  fileId: string,
  reason: RefusalReason,
  options: { again?: boolean } = {},
): Promise<boolean> {
  const payload: RefusalPayload = {
    v: 2,
    type: "refusal",
    id: state.ulid(),
    file: fileId,
    reason,
    sentAt: Date.now(),
  };
  // Said again for an announcement that came again, which a relay can
  // replay at will: bounded then like a repeated receipt (`in_flight.ts`).
  return courier.sendEphemeral(payload, options);
}

/**
 * Sender: marks an outgoing file refused, as the peer's sealed refusal
 * says. Anything else it names (no such message, a text, an incoming
 * message, a file already read or refused) changes nothing.
 */
export async function applyRefusal(state: ClientState, payload: RefusalPayload): Promise<void> {
  const message = state.find(payload.file);
  if (
    message === undefined || message.direction !== "out" || message.kind !== "file" ||
    message.status === "read" || message.status === "refused"
  ) return;
  await state.update(message, { status: "refused", refusal: payload.reason });
}
