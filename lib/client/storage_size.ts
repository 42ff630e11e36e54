/**
 * Estimates the bytes one conversation takes in the client's database (see
 * `idb_storage.ts`, whose rows `getAll` reads from a store): its record and
 * messages by {@linkcode estimateSize}, its files and chunks by their byte
 * sizes; 0 when it is not stored.
 */
export async function measureConversation(
  id: string,
  getAll: (store: string, query: IDBValidKey | IDBKeyRange) => Promise<unknown[]>,
): Promise<number> {
  const [conversation] = await getAll("conversations", id);
  if (conversation === undefined) return 0;
  // Every row of the conversation: its keys start with its ID.
  const all = IDBKeyRange.bound([id], [id, []]);
  const messages = await getAll("messages", all);
  const files = await getAll("files", all) as { blob: Blob }[];
  const chunks = await getAll("chunks", all) as { data: Uint8Array }[];
  return estimateSize(conversation) + estimateSize(messages) +
    files.reduce((sum, file) => sum + file.blob.size, 0) +
    chunks.reduce((sum, chunk) => sum + chunk.data.length, 0);
}

/**
 * Estimates how many bytes a stored value takes: UTF-8 for strings, the
 * byte length of binary data, 8 bytes for numbers, and the keys and values
 * of objects and arrays. `CryptoKey` objects count a fixed 128 bytes, as
 * their bytes cannot be read. The estimate is for showing people roughly
 * where their storage goes, not for accounting.
 */
export function estimateSize(value: unknown): number {
  return measure(value, new Set());
}

const KEY_SIZE = 128;
const encoder = new TextEncoder();

function measure(value: unknown, seen: Set<unknown>): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case "string":
      return encoder.encode(value).length;
    case "number":
    case "bigint":
      return 8;
    case "boolean":
      return 1;
    case "object":
      break;
    default:
      return 0;
  }
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (typeof Blob !== "undefined" && value instanceof Blob) return value.size;
  if (typeof CryptoKey !== "undefined" && value instanceof CryptoKey) return KEY_SIZE;
  if (seen.has(value)) return 0;
  seen.add(value);
  let total = 0;
  for (const [key, item] of Object.entries(value)) {
    total += (Array.isArray(value) ? 0 : key.length) + measure(item, seen);
  }
  return total;
}

/** "512 bytes", "3.4 KB", "12 MB": a size in decimal units for people. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1000;
    unit++;
  } while (value >= 1000 && unit < units.length - 1);
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
