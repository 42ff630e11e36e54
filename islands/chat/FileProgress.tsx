import { useRef } from "preact/hooks";
import { percentDone, timeLeft, type TransferMark } from "../../lib/client/transfer_eta.ts";

/** Props of {@linkcode FileProgress}. */
export interface FileProgressProps {
  name: string;
  direction: "in" | "out";
  /** Chunks sent or received so far. */
  done: number;
  total: number;
  /** Cancels the transfer on both sides; absent when it cannot be cancelled. */
  onCancel?: () => void;
}

/**
 * A file on its way: a progress bar, the percent done and the time left
 * (estimated from the pace since the first chunk seen), and a button to
 * cancel it.
 */
export function FileProgress({ name, direction, done, total, onCancel }: FileProgressProps) {
  const start = useRef<TransferMark | null>(null);
  const now = { at: Date.now(), done };
  // Measured from the first chunk seen, not from a wait for the other person.
  if (start.current === null && done > 0) start.current = now;
  const left = start.current === null ? null : timeLeft(start.current, now, total);
  const verb = direction === "in" ? "receiving" : "sending";
  return (
    <div class="file-transfer">
      <progress
        class="file-progress"
        max={total}
        value={done}
        aria-label={`${direction === "in" ? "Receiving" : "Sending"} ${name}`}
      />
      <p class="file-eta" data-testid="file-eta">
        {percentDone(done, total)}%{left !== null && ` · ${left}`}
      </p>
      {onCancel !== undefined && (
        <button
          type="button"
          class="button file-cancel"
          aria-label={`Cancel ${verb} ${name}`}
          onClick={onCancel}
        >
          Cancel
        </button>
      )}
    </div>
  );
}
