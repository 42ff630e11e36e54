/**
 * The call payloads' field checks (`payload_call_checks.ts`), fetched the
 * first time a call payload is opened or sealed: a chat page on which no
 * call happens never loads them. Until they are loaded, `payload.ts` refuses
 * every call payload as of an unsupported type, so none is ever accepted
 * unchecked; from then on it checks call payloads as strictly as any other.
 *
 * `openBody` (`secure_channel.ts`) fetches them when a decrypted payload
 * names a call type ({@linkcode namesCallType}), before checking it, and
 * `sealPayload` before sealing a call payload.
 *
 * @module
 */
import type { CallPayloadFields } from "./payload_call_checks.ts";
import { CALL_PAYLOAD_TYPES } from "./payload_call.ts";
import type { FieldCheck } from "./payload_fields.ts";

let fields: CallPayloadFields | null = null;
let loading: Promise<void> | null = null;

/**
 * Fetches the call checks once; later calls return at once. A failed fetch
 * rejects with the fetch's own error and accepts nothing: `openBody` lets
 * that error through as it is, not as a `ChannelError` for a forged message,
 * with the conversation unchanged (the message key is not used up), so the
 * payload is not delivered nor acknowledged, and the inbox shows a problem
 * as for any message it cannot open (sending pauses until the person has
 * read it). Call payloads are not sent again, so that one is lost; the next
 * call payload fetches again.
 */
export function loadCallChecks(): Promise<void> {
  loading ??= import("./payload_call_checks.ts").then(
    (checks) => {
      fields = checks.CALL_PAYLOAD_FIELDS;
    },
    (error) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/**
 * The field checks of call payload type `type` once {@linkcode loadCallChecks}
 * has fetched them; undefined before, and for any other type.
 */
export function loadedCallFields(type: string): Record<string, FieldCheck> | undefined {
  return fields !== null && Object.hasOwn(fields, type)
    ? fields[type as keyof CallPayloadFields]
    : undefined;
}

/**
 * Whether a decrypted, still unchecked payload names a call type, so its
 * checks must be loaded before it is checked. Says nothing of whether it is
 * a valid call payload.
 */
export function namesCallType(value: unknown): boolean {
  return typeof value === "object" && value !== null &&
    CALL_PAYLOAD_TYPES.has((value as { type?: unknown }).type as string);
}
