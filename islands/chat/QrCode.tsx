import { encode } from "uqr";

/** Props of {@linkcode QrCode}. */
export interface QrCodeProps {
  /** The text to encode. */
  value: string;
  /** The accessible name of the image. */
  label: string;
}

/** The modules of the quiet zone around the code, as the standard asks. */
const QUIET_ZONE = 4;

/**
 * A QR code as inline SVG: one path of dark modules on a white square, dark
 * on light in every theme so any camera reads it.
 */
export function QrCode({ value, label }: QrCodeProps) {
  const { data, size } = encode(value, { ecc: "M", border: QUIET_ZONE });
  return (
    <svg
      class="qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
      data-testid="invite-qr"
    >
      <rect width={size} height={size} fill="#ffffff" />
      <path d={modulePath(data)} fill="#000000" />
    </svg>
  );
}

/** Draws each run of dark modules in a row as one rectangle. */
function modulePath(rows: boolean[][]): string {
  const parts: string[] = [];
  rows.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      parts.push(`M${start} ${y}h${x - start}v1h${start - x}z`);
    }
  });
  return parts.join("");
}
