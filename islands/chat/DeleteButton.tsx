import { useSignal } from "@preact/signals";

/** Props of {@linkcode DeleteButton}. */
export interface DeleteButtonProps {
  onDelete(): Promise<void>;
}

/** "Delete conversation", asking once more before it burns everything. */
export function DeleteButton({ onDelete }: DeleteButtonProps) {
  const confirming = useSignal(false);
  const busy = useSignal(false);
  if (!confirming.value) {
    return (
      <button
        class="button danger-outline"
        type="button"
        onClick={() => confirming.value = true}
      >
        Delete conversation
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label="Confirm deletion">
      <span>Delete for both of you?</span>
      <button
        class="button danger"
        type="button"
        disabled={busy.value}
        onClick={async () => {
          busy.value = true;
          await onDelete();
        }}
      >
        {busy.value ? "Deleting…" : "Delete"}
      </button>
      <button class="button" type="button" onClick={() => confirming.value = false}>
        Cancel
      </button>
    </div>
  );
}
