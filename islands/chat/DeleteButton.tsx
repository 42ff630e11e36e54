import { ConfirmButton } from "../common/ConfirmButton.tsx";

/** Props of {@linkcode DeleteButton}. */
export interface DeleteButtonProps {
  onDelete(): Promise<void>;
}

/** "Delete conversation", asking once more before it burns everything. */
export function DeleteButton({ onDelete }: DeleteButtonProps) {
  return (
    <ConfirmButton
      label="Delete conversation"
      ariaLabel="Delete conversation"
      confirmLabel="Delete"
      busyLabel="Deleting…"
      danger
      onConfirm={onDelete}
    >
      Delete for both of you?
    </ConfirmButton>
  );
}
