import { verifyBundle } from "../../../lib/crypto/bundle.ts";
import { decodeBase64Url } from "../../../lib/crypto/encoding.ts";
import { parseCreateConversationRequest } from "../../../lib/protocol/client_frames.ts";
import { ProtocolError } from "../../../lib/protocol/validate.ts";
import { admissionResponse } from "../../../lib/server/admission_json.ts";
import { verifyEd25519Server } from "../../../lib/server/ed25519_verify.ts";
import type { AppState } from "../../../lib/server/app_state.ts";
import { HttpError } from "../../../lib/server/http_error.ts";
import { shortId } from "../../../lib/server/log.ts";
import { readJsonBody } from "../../../lib/server/read_json.ts";
import type { Handlers } from "../../../lib/web/types.ts";

export const handler: Handlers<AppState> = {
  /** Creates a conversation whose first participant is the caller. */
  async POST(ctx) {
    const { config, store, log, limits } = ctx.state;
    await limits.checkRequest("create", ctx.req, ctx.info);
    const body = await readJsonBody(ctx.req, config.maxBodyBytes);
    const request = parseRequest(body);
    if (request.lifetime > config.maxLifetime) {
      throw new HttpError(
        400,
        "invalid_lifetime",
        `Invalid lifetime ${request.lifetime}: the most this server allows is ${config.maxLifetime} seconds`,
      );
    }
    if (
      !await verifyBundle(request.bundle, decodeBase64Url(request.accessKey), verifyEd25519Server)
    ) {
      throw new HttpError(
        403,
        "bad_access_signature",
        "Invalid bundle: the access signature does not verify",
      );
    }
    const admission = await store.create(request);
    log("conversation_created", { conversation: shortId(admission.conversation.id) });
    return admissionResponse(admission);
  },
};

function parseRequest(body: unknown) {
  try {
    return parseCreateConversationRequest(body);
  } catch (error) {
    if (error instanceof ProtocolError) {
      throw new HttpError(400, error.code, error.message);
    }
    throw error;
  }
}
