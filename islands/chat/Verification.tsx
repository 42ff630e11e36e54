import type { KemBackend } from "../../lib/crypto/kem.ts";
import { formatSafetyNumber } from "../../lib/crypto/safety_number.ts";
import { QrCode } from "./lazy_parts.ts";
import { useVerificationFocus } from "./use_verification_focus.ts";

/** Props of {@linkcode Verification}. */
export interface VerificationProps {
  /** The 60-digit safety number, or null while it is computed. */
  safetyNumber: string | null;
  /** The safety number marked as verified, if any. */
  verified: string | null;
  kemBackend: KemBackend;
  onVerify(verified: boolean): void;
  onClose(): void;
}

/**
 * The safety number of the conversation, to compare with the other person
 * out of band, as digits and as a QR code, with a "verified" mark.
 */
export function Verification(props: VerificationProps) {
  const { safetyNumber, verified } = props;
  useVerificationFocus(props.onClose);
  const isVerified = safetyNumber !== null && verified === safetyNumber;
  return (
    <section
      id="verification"
      class="verification"
      aria-labelledby="verification-title"
      data-testid="verification"
    >
      <div class="verification-head">
        <h2 id="verification-title" tabIndex={-1}>Safety number</h2>
        <button class="button" type="button" onClick={props.onClose}>Close</button>
      </div>
      <p class="muted">
        Compare these numbers with the other person, face to face or on a call you trust. If they
        match on both screens, nobody has swapped the keys of this conversation.
      </p>
      {safetyNumber === null ? <p role="status">Computing…</p> : (
        <div class="verification-body">
          <ol class="safety-number" aria-label="Safety number" data-testid="safety-number">
            {formatSafetyNumber(safetyNumber).map((group, i) => <li key={i}>{group}</li>)}
          </ol>
          <QrCode value={safetyNumber} label="Safety number as a QR code" />
        </div>
      )}
      <p class="verification-state" role="status">
        {isVerified ? "✓ You marked this conversation as verified." : "Not verified yet."}
      </p>
      {safetyNumber !== null && (
        <button
          class={isVerified ? "button" : "button primary"}
          type="button"
          onClick={() => props.onVerify(!isVerified)}
        >
          {isVerified ? "Remove the verified mark" : "Mark as verified"}
        </button>
      )}
      <p class="muted small">
        {props.kemBackend === "webcrypto"
          ? "Post-quantum protection: ML-KEM-768, built into this browser."
          : "Post-quantum protection: ML-KEM-768 from a JavaScript library (@noble/post-quantum), because this browser has no built-in ML-KEM."}
      </p>
    </section>
  );
}
