/**
 * The HTTP side of creating and joining: posting a bundle and reading the
 * server's answer, or the error it gave, as an {@linkcode AdmissionError}.
 * Loaded only by the code that creates and joins (`admission.ts`).
 *
 * @module
 */
import { parseAdmissionResponse } from "../protocol/admission_response.ts";
import type { AdmissionResponse } from "../protocol/server_frames.ts";
import { describeServerError, type ServerAction } from "./server_errors.ts";
import { t } from "../i18n/i18n.ts";
import { AdmissionError, errorCode } from "./admission_http.ts";

/** POSTs `body` as JSON; a network failure becomes "unreachable". */
export async function postJson(url: string, body: unknown): Promise<Response> {
  try {
    return await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    throw new AdmissionError("unreachable", t("errors.unreachable"));
  }
}

/** Reads a create or join answer: the admission, or the error the server gave. */
export async function readAdmission(
  response: Response,
  action: ServerAction = "create",
): Promise<AdmissionResponse> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new AdmissionError("rejected", describeServerError(null, response.status, action));
  }
  if (response.status !== 201) {
    const code = errorCode(body);
    const message = describeServerError(code, response.status, action);
    if (code === "conversation_full") throw new AdmissionError("full", message);
    if (code === "not_found") throw new AdmissionError("not_found", message);
    if (code === "bad_access_signature") throw new AdmissionError("damaged", message);
    throw new AdmissionError("rejected", message);
  }
  try {
    return parseAdmissionResponse(body);
  } catch (error) {
    throw new AdmissionError(
      "rejected",
      t("errors.malformed_answer", { detail: (error as Error).message }),
    );
  }
}
