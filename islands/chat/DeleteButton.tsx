import { t } from "../../lib/i18n/i18n.ts";
import { ConfirmButton } from "../common/ConfirmButton.tsx";

/** Props of {@linkcode DeleteButton}. */
export interface DeleteButtonProps {
  onDelete(): Promise<void>;
}

/** "Delete conversation", asking once more before it burns everything. */
export function DeleteButton({ onDelete }: DeleteButtonProps) {
  return (
    <ConfirmButton
      label={t("chat.delete_conversation")}
      ariaLabel={t("chat.delete_conversation")}
      confirmLabel={t("chat.delete")}
      busyLabel={t("chat.deleting")}
      danger
      onConfirm={onDelete}
    >
      {t("chat.delete_for_both")}
    </ConfirmButton>
  );
}
