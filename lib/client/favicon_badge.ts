/**
 * Draws the unread count onto the tab icon: the page's icon on a canvas with
 * a red disc and the number, set as the `<link rel="icon">` as a data: URL
 * (allowed by the CSP's `img-src data:`), and put back when cleared.
 */
export class FaviconBadge {
  #link: HTMLLinkElement | null;
  #original: { href: string | null; type: string | null } | null = null;
  #image: Promise<HTMLImageElement> | null = null;
  #generation = 0;

  constructor(doc: Document = document) {
    this.#link = doc.querySelector<HTMLLinkElement>('link[rel="icon"]');
  }

  /** Shows `count` (as "9+" above nine) on the icon. */
  async show(count: number): Promise<void> {
    const link = this.#link;
    if (link === null) return;
    const generation = ++this.#generation;
    this.#original ??= { href: link.getAttribute("href"), type: link.getAttribute("type") };
    const image = await (this.#image ??= loadImage(link.href));
    if (generation !== this.#generation) return;
    link.type = "image/png";
    link.href = drawBadge(image, count > 9 ? "9+" : String(count));
  }

  /** Puts the original icon back. */
  clear(): void {
    this.#generation++;
    if (this.#link === null || this.#original === null) return;
    for (const name of ["href", "type"] as const) {
      const value = this.#original[name];
      if (value === null) this.#link.removeAttribute(name);
      else this.#link.setAttribute(name, value);
    }
  }
}

const SIZE = 64;

function drawBadge(image: HTMLImageElement, text: string): string {
  const canvas = document.createElement("canvas");
  canvas.width = SIZE;
  canvas.height = SIZE;
  const context = canvas.getContext("2d")!;
  context.drawImage(image, 0, 0, SIZE, SIZE);
  const radius = SIZE * 0.3;
  const x = SIZE - radius;
  const y = radius;
  context.beginPath();
  context.arc(x, y, radius, 0, Math.PI * 2);
  context.fillStyle = "#d92d20";
  context.fill();
  context.lineWidth = 4;
  context.strokeStyle = "#ffffff";
  context.stroke();
  context.fillStyle = "#ffffff";
  context.font = `bold ${text.length > 1 ? 22 : 28}px system-ui, sans-serif`;
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText(text, x, y + 1);
  return canvas.toDataURL("image/png");
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image(SIZE, SIZE);
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error(`Cannot load icon "${src}"`));
    image.src = src;
  });
}
