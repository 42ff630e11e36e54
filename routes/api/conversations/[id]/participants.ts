import { verifyBundle } from "../../../../lib/crypto/bundle.ts";
import { decodeBase64Url } from "../../../../lib/crypto/encoding.ts";
import { parseJoinConversationRequest } from "../../../../lib/protocol/client_frames.ts";
import { ProtocolError } from "../../../../lib/protocol/validate.ts";
import { admissionResponse } from "../../../../lib/server/admission_json.ts";
import { verifyEd25519Server } from "../../../../lib/server/ed25519_verify.ts";
import type { AppState } from "../../../../lib/server/app_state.ts";
import { requireConversation } from "../../../../lib/server/conversation_params.ts";
import { HttpError } from "../../../../lib/server/http_error.ts";
import { shortId } from "../../../../lib/server/log.ts";
import { readJsonBody } from "../../../../lib/server/read_json.ts";
import type { Handlers } from "../../../../lib/web/types.ts";

export const handler: Handlers<AppState> = {
  /** Admits a second participant whose bundle is signed by the access key. */
  async POST(ctx) {
    const { config, store, hub, log, limits } = ctx.state;
    await limits.checkRequest("join", ctx.req, ctx.info);
    const current = await requireConversation(ctx.state, ctx.params);
    const body = await readJsonBody(ctx.req, config.maxBodyBytes);
    let bundle;
    try {
      bundle = parseJoinConversationRequest(body).bundle;
    } catch (error) {
      if (error instanceof ProtocolError) {
        throw new HttpError(400, error.code, error.message);
      }
      throw error;
    }
    // Only someone holding the invite secret can sign a bundle for this key.
    if (!await verifyBundle(bundle, decodeBase64Url(current.accessKey), verifyEd25519Server)) {
      throw new HttpError(
        403,
        "bad_access_signature",
        "Invalid bundle: the access signature does not verify",
      );
    }
    const admission = await store.join(current.id, bundle);
    const participant = admission.conversation.participants.find((p) =>
      p.id === admission.participantId
    )!;
    hub.notifyJoined(admission.conversation, participant);
    log("participant_joined", { conversation: shortId(current.id) });
    return admissionResponse(admission);
  },
};
