/**
 * The HTTP side of reading a conversation record, which every open
 * conversation does, and turning the server's answers (or its silence) into
 * an {@linkcode AdmissionError} with a code the UI turns into a page. Posting
 * a bundle to create or join is in `admission_post.ts`, loaded only then.
 *
 * @module
 */
import {
  type ConversationRecord,
  parseConversationRecord,
} from "../protocol/conversation_record.ts";
import { t } from "../i18n/i18n.ts";

/** Why a conversation could not be created or joined. */
export type AdmissionErrorCode =
  | "not_found"
  | "full"
  | "damaged"
  | "wrong_keys"
  | "rejected"
  | "unreachable";

/** A failure to create or join, with a code the UI turns into a page. */
export class AdmissionError extends Error {
  readonly code: AdmissionErrorCode;
  constructor(code: AdmissionErrorCode, message: string) {
    super(message);
    this.name = "AdmissionError";
    this.code = code;
  }
}

/**
 * How long a read of the record may take before the server counts as
 * unreachable: the client's changes wait in one queue behind this read, so a
 * connection that never answers must not hold them for good.
 */
const READ_TIMEOUT_MS = 10_000;

/** The server's record of a conversation, or null when it does not exist. */
export async function fetchConversation(
  baseUrl: string,
  id: string,
  options: { timeoutMs?: number } = {},
): Promise<ConversationRecord | null> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs ?? READ_TIMEOUT_MS);
  try {
    return await readRecord(`${baseUrl}/api/conversations/${id}`, abort.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function readRecord(url: string, signal: AbortSignal): Promise<ConversationRecord | null> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json" }, signal });
  } catch {
    throw new AdmissionError("unreachable", t("errors.unreachable"));
  }
  if (response.status === 404 || response.status === 400) {
    // Only the server's own answer means "no such conversation": a proxy's
    // page or a passing error is no reason to give a conversation up.
    const code = errorCode(await response.json().catch(() => null));
    if (code === "not_found" || code === "invalid_id") return null;
    throw new AdmissionError("unreachable", t("errors.unreachable"));
  }
  if (!response.ok) {
    // A busy server (429), a proxy's 502/503 or any other answer but the
    // record is passing, and the relay can ask for reads at will: tried
    // again like silence, never a reason to doubt the keys. Only a record
    // that does not parse is "rejected".
    await response.body?.cancel();
    throw new AdmissionError("unreachable", t("errors.unreachable"));
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (signal.aborted) throw new AdmissionError("unreachable", t("errors.unreachable"));
    throw new AdmissionError(
      "rejected",
      t("errors.malformed_answer", { detail: (error as Error).message }),
    );
  }
  try {
    if (typeof body !== "object" || body === null) throw new TypeError("not an object");
    return parseConversationRecord((body as Record<string, unknown>).conversation);
  } catch (error) {
    throw new AdmissionError(
      "rejected",
      t("errors.malformed_answer", { detail: (error as Error).message }),
    );
  }
}

/** The `error.code` of a JSON error answer of the server, or null. */
export function errorCode(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const error = (body as Record<string, unknown>).error;
  if (typeof error !== "object" || error === null) return null;
  const code = (error as Record<string, unknown>).code;
  return typeof code === "string" ? code : null;
}
