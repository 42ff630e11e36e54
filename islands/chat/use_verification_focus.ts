import { useEffect } from "preact/hooks";

/**
 * Focus for the safety-number panel: opening it moves focus to its heading,
 * Escape closes it wherever focus is, and closing it gives focus back to
 * the Verify button (`[aria-controls="verification"]`), so keyboard users
 * neither lose their place nor have to go past Delete to reach it.
 */
export function useVerificationFocus(onClose: () => void): void {
  useEffect(() => {
    document.getElementById("verification-title")?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented) return;
      e.preventDefault();
      onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      const panel = document.getElementById("verification");
      const active = document.activeElement;
      // Only when focus was in the panel (or fell to the page with it).
      if (active === null || active === document.body || panel?.contains(active)) {
        // After the panel is gone from the page.
        queueMicrotask(() =>
          document.querySelector<HTMLElement>('[aria-controls="verification"]')?.focus()
        );
      }
    };
  }, []);
}
