import type { KemBackend } from "../../lib/crypto/kem.ts";
import { formatSafetyNumber } from "../../lib/crypto/safety_number.ts";
import { t } from "../../lib/i18n/i18n.ts";
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
        <h2 id="verification-title" tabIndex={-1}>{t("verify.title")}</h2>
        <button class="button" type="button" onClick={props.onClose}>{t("verify.close")}</button>
      </div>
      <p class="muted">{t("verify.compare")}</p>
      <p class="muted small" data-testid="safety-digits-note">{t("verify.western_digits")}</p>
      {safetyNumber === null
        ? <p role="status">{t("verify.computing")}</p>
        : (
          <div class="verification-body">
            {/* Western digits, never formatted: compared as they are, across languages. */}
            <ol
              class="safety-number"
              dir="ltr"
              aria-label={t("verify.title")}
              data-testid="safety-number"
            >
              {formatSafetyNumber(safetyNumber).map((group, i) => <li key={i}>{group}</li>)}
            </ol>
            <QrCode value={safetyNumber} label={t("verify.qr_label")} />
          </div>
        )}
      <p class="verification-state" role="status">
        {isVerified ? t("verify.verified") : t("verify.not_verified")}
      </p>
      {safetyNumber !== null && (
        <button
          class={isVerified ? "button" : "button primary"}
          type="button"
          onClick={() => props.onVerify(!isVerified)}
        >
          {isVerified ? t("verify.remove_mark") : t("verify.mark")}
        </button>
      )}
      <p class="muted small">
        {props.kemBackend === "webcrypto" ? t("verify.pq_builtin") : t("verify.pq_library")}
      </p>
    </section>
  );
}
