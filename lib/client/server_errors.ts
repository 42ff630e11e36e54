/**
 * The one place a server error code becomes a sentence for people. The
 * server answers with short machine codes (`rate_limited`); the UI never
 * shows them raw, nor the server's English `message`: each code has the
 * message `errors.<code>` in every language, and `errors.<code>_<action>`
 * where the sentence depends on what the person was doing.
 *
 * @module
 */
import { hasMessage, t } from "../i18n/i18n.ts";

/** What the person was doing when the server refused. */
export type ServerAction = "create" | "join";

/**
 * A sentence for a server error `code` (or an HTTP `status` when the answer
 * had no code), in the active language. An unknown code is named, so it can
 * still be reported.
 */
export function describeServerError(
  code: string | null,
  status: number,
  action: ServerAction = "create",
): string {
  if (code !== null && /^[a-z][a-z0-9_]{0,63}$/.test(code)) {
    if (hasMessage(`errors.${code}_${action}`)) return t(`errors.${code}_${action}`);
    if (hasMessage(`errors.${code}`)) return t(`errors.${code}`);
  }
  if (status === 429) return t(`errors.rate_limited_${action}`);
  return code === null
    ? t("errors.unknown", { status: String(status) })
    : t("errors.unknown_code", { code: code.slice(0, 64) });
}
