import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect } from "preact/hooks";
import { isPreviewableImage } from "../../lib/client/file_info.ts";
import { formatBytes } from "../../lib/i18n/format_sizes.ts";
import { t } from "../../lib/i18n/i18n.ts";
import { describeRefusal } from "../../lib/client/file_refusal.ts";
import type { StoredMessage } from "../../lib/client/storage.ts";
import { canCancel } from "../../lib/client/file_cancel.ts";
import { canDecline } from "../../lib/client/file_decline.ts";
import { FileProgress } from "./FileProgress.tsx";
import { ImageViewer } from "./lazy_parts.ts";

/** Props of {@linkcode FileBubble}. */
export interface FileBubbleProps {
  message: StoredMessage;
  /** Chunks of an outgoing file sent so far, while it is going out. */
  sent: number | undefined;
  getFile(id: string): Promise<Blob | undefined>;
  /** Cancels a file on its way, on both sides; "decline" refuses an incoming one. */
  onCancel?(id: string, how?: "cancel" | "decline"): void;
}

/**
 * A file in the history: progress, time left and a Cancel button while it
 * travels (and Decline for an incoming one), then an inline preview for images (opened large in a viewer)
 * and a download link for everything.
 */
export function FileBubble({ message, sent, getFile, onCancel }: FileBubbleProps) {
  const url = useSignal<string | null>(null);
  const viewing = useSignal(false);
  const file = message.file!;
  const cancelled = file.cancelled;
  const available = cancelled === undefined &&
    (message.direction === "out" || message.status === "received" || message.status === "read");

  useEffect(() => {
    if (!available) return;
    let current: string | null = null;
    let cancelled = false;
    getFile(message.id).then((blob) => {
      if (blob === undefined || cancelled) return;
      // Only images are shown as what the sender says they are; anything else
      // is handed over as bytes, never opened as a page of this origin.
      const safe = isPreviewableImage(file.mime)
        ? blob
        : new Blob([blob], { type: "application/octet-stream" });
      current = URL.createObjectURL(safe);
      url.value = current;
    });
    return () => {
      cancelled = true;
      if (current !== null) URL.revokeObjectURL(current);
    };
  }, [message.id, available]);

  const done = message.direction === "in"
    ? file.received
    : sent ?? (message.status === "pending" ? 0 : file.chunks);
  const travelling = cancelled === undefined &&
    (message.direction === "in"
      ? message.status === "receiving"
      : message.status !== "refused" && (sent !== undefined || message.status === "pending"));
  return (
    <div class="file" data-testid="file">
      {url.value !== null && isPreviewableImage(file.mime) && (
        <button
          type="button"
          class="file-image-button"
          aria-label={t("files.open_large", { name: file.name })}
          onClick={() => viewing.value = true}
        >
          <img class="file-image" src={url.value} alt={file.name} />
        </button>
      )}
      {viewing.value && url.value !== null && (
        <ImageViewer
          src={url.value}
          name={file.name}
          onClose={() => viewing.value = false}
        />
      )}
      <p class="file-name" dir="auto">{file.name}</p>
      <p class="file-size">{formatBytes(file.size)}</p>
      {message.status === "refused" && (
        <p class="file-refused" data-testid="file-refused">{describeRefusal(message)}</p>
      )}
      {cancelled !== undefined && (
        <p class="file-cancelled">
          {cancelled === "me" ? t("files.cancelled_by_me") : t("files.cancelled_by_peer")}
        </p>
      )}
      {travelling && (
        <FileProgress
          name={file.name}
          direction={message.direction}
          done={done}
          total={file.chunks}
          onCancel={onCancel !== undefined && canCancel(message)
            ? () => onCancel(message.id)
            : undefined}
        />
      )}
      {onCancel !== undefined && canDecline(message) && (
        <button
          type="button"
          class="button file-cancel file-decline"
          aria-label={t("files.decline_label", { name: file.name })}
          onClick={() => onCancel(message.id, "decline")}
        >
          {t("files.decline")}
        </button>
      )}
      {url.value !== null && (
        <a class="button file-download" href={url.value} download={file.name}>
          {t("files.download")}
        </a>
      )}
    </div>
  );
}
