import { HttpError } from "./http_error.ts";

/**
 * Reads a request body as JSON, refusing more than `maxBytes` without reading
 * it all (413), and anything that is not JSON (400).
 */
export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (req.body === null) {
    throw new HttpError(400, "invalid_json", "Invalid request body: expected JSON");
  }
  // With a declared length the HTTP layer reads no more than it, so the body
  // comes in one piece instead of chunk by chunk.
  let bytes: Uint8Array;
  try {
    bytes = req.headers.has("content-length")
      ? await req.bytes()
      : await readCapped(req.body, maxBytes);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // The client hung up before the body was whole (or sent broken chunks).
    throw new HttpError(400, "invalid_json", "Invalid request body: it ended before it was whole");
  }
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new HttpError(400, "invalid_json", "Invalid request body: expected JSON");
  }
}

/** Reads a body of no declared length, refusing it (413) once past `maxBytes`. */
async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    "body_too_large",
    `Request body is larger than ${maxBytes} bytes`,
  );
}
