import type { Handlers, PageProps } from "$fresh/server.ts";
import {
  EMBED_ROUTE_CONFIG,
  EmbedShell,
} from "../../components/EmbedShell.tsx";
import CollabChat from "../../islands/CollabChat.tsx";
import { getTenant } from "../../utils/db_tenants.ts";
import {
  loadDocument,
  parseTextEmbedParams,
  type TextEmbedParams,
} from "../../utils/text_embed.ts";
import { loadTextRoom, type TextRoomSnapshot } from "../../utils/text_room.ts";
import { readEmbedQuery } from "../../utils/embed_params.ts";

export const config = EMBED_ROUTE_CONFIG;

interface EmbedData {
  params: TextEmbedParams;
  document: string;
  room: TextRoomSnapshot;
}

export const handler: Handlers<EmbedData> = {
  async GET(req, ctx) {
    const params = readEmbedQuery(req, parseTextEmbedParams);
    if (params instanceof Response) return params;
    if (!await getTenant(params.tenant)) return ctx.renderNotFound();
    const [document, room] = await Promise.all([
      loadDocument(params.src),
      loadTextRoom(params.tenant, params.urlId),
    ]);
    if (document === null) return ctx.renderNotFound();
    return ctx.render({ params, document, room });
  },
};

export default function TextEmbed({ data }: PageProps<EmbedData>) {
  const { params, document, room } = data;
  return (
    <EmbedShell title="Collab Chat" stylesheets={["/collab.css"]}>
      <CollabChat
        tenant={params.tenant}
        urlId={params.urlId}
        readonly={params.readonly}
        hasDarkBackground={params.hasDarkBackground}
        initialChats={room.chats}
        initialSeq={room.seq}
        embedded
      >
        <div
          // A document of our own static/docs/, not user input.
          // deno-lint-ignore react-no-danger
          dangerouslySetInnerHTML={{ __html: document }}
        />
      </CollabChat>
    </EmbedShell>
  );
}
