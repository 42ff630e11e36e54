import { useSignal } from "@preact/signals";

/** Props of {@linkcode InvitePanel}. */
export interface InvitePanelProps {
  link: string;
}

/** The invite link with a copy button, shown until the other person joins. */
export function InvitePanel({ link }: InvitePanelProps) {
  const copied = useSignal(false);
  async function copy(event: Event) {
    const input = (event.currentTarget as HTMLElement).parentElement!
      .querySelector("input")!;
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      // Clipboard access can be refused; selecting lets the user copy by hand.
      input.select();
    }
    copied.value = true;
    setTimeout(() => copied.value = false, 2000);
  }
  return (
    <section class="invite" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite one person</h2>
      <p class="muted">
        Send this link privately. Whoever opens it first joins; after that the conversation is
        closed to everyone else.
      </p>
      <div class="invite-row">
        <input
          id="invite-link"
          type="text"
          readOnly
          value={link}
          aria-label="Invite link"
          onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
        />
        <button class="button primary" type="button" onClick={copy}>
          {copied.value ? "Copied" : "Copy link"}
        </button>
      </div>
    </section>
  );
}
