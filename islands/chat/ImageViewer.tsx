import { useLayoutEffect, useRef } from "preact/hooks";
import { t } from "../../lib/i18n/i18n.ts";

/** Props of {@linkcode ImageViewer}. */
export interface ImageViewerProps {
  /** An object URL of the image's bytes. */
  src: string;
  /** The file name, shown and used as the dialog's name. */
  name: string;
  onClose(): void;
}

/**
 * An image shown large in a modal dialog. The page behind is inert while it
 * is open, so focus stays inside; Escape, the Close button or a click
 * beside the image close it, and focus goes back to what opened it.
 */
export function ImageViewer({ src, name, onClose }: ImageViewerProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  // A layout effect: its cleanup runs as the viewer leaves the page, so focus
  // goes straight back to the opener, never to the page's body first.
  useLayoutEffect(() => {
    const element = dialog.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element.showModal();
    return () => {
      if (element.open) element.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      class="image-viewer"
      aria-label={name}
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog itself.
        if (event.target === event.currentTarget) onClose();
      }}
      onKeyDown={(event) => {
        // Tab goes round inside: the page behind is inert, the browser's own bar too.
        if (event.key !== "Tab") return;
        const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>("button")];
        const index = focusable.indexOf(document.activeElement as HTMLElement);
        const next = (index + (event.shiftKey ? -1 : 1) + focusable.length) % focusable.length;
        event.preventDefault();
        focusable[next]?.focus();
      }}
    >
      <div class="image-viewer-bar">
        <h2 class="image-viewer-name" dir="auto">{name}</h2>
        <button type="button" class="button image-viewer-close" onClick={onClose} autoFocus>
          {t("files.close")}
        </button>
      </div>
      <img class="image-viewer-image" src={src} alt={name} />
    </dialog>
  );
}
