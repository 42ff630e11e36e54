/**
 * Whether the conversation's end is near (`endIsNear` of `extension.ts`),
 * checked again every 15 seconds, so the chat shows the end warning (whose
 * code is fetched then) by itself when the time comes.
 *
 * @module
 */
import { useEffect } from "preact/hooks";
import { endIsNear } from "../../lib/client/extension_end.ts";
import { useSignal } from "../../lib/web/use_signal.ts";

/** True once `expiresAt` is within the warning time; re-checked every 15 s. */
export function useEndNear(expiresAt: string): boolean {
  const near = useSignal(endIsNear(expiresAt));
  useEffect(() => {
    near.value = endIsNear(expiresAt);
    const timer = setInterval(() => near.value = endIsNear(expiresAt), 15_000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  return near.value;
}
