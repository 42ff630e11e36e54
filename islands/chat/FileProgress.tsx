import { useRef } from "preact/hooks";
import { percentDone, timeLeft, type TransferMark } from "../../lib/client/transfer_eta.ts";
import { formatNumber } from "../../lib/i18n/format_sizes.ts";
import { t } from "../../lib/i18n/i18n.ts";

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
  const percent = formatNumber(percentDone(done, total) / 100, { style: "percent" });
  return (
    <div class="file-transfer">
      <progress
        class="file-progress"
        max={total}
        value={done}
        aria-label={t(direction === "in" ? "files.receiving" : "files.sending", { name })}
      />
      <p class="file-eta" data-testid="file-eta">
        {left === null ? percent : t("files.progress_left", { percent, left })}
      </p>
      {onCancel !== undefined && (
        <button
          type="button"
          class="button file-cancel"
          aria-label={t(direction === "in" ? "files.cancel_receiving" : "files.cancel_sending", {
            name,
          })}
          onClick={onCancel}
        >
          {t("files.cancel")}
        </button>
      )}
    </div>
  );
}
