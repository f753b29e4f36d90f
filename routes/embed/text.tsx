import type { Handlers, PageProps, RouteConfig } from "$fresh/server.ts";
import { asset, Head } from "$fresh/runtime.ts";
import CollabChat from "../../islands/CollabChat.tsx";
import { getTenant } from "../../utils/db_tenants.ts";
import {
  loadDocument,
  parseTextEmbedParams,
  type TextEmbedParams,
} from "../../utils/text_embed.ts";
import { loadTextRoom, type TextRoomSnapshot } from "../../utils/text_room.ts";
import { readEmbedQuery } from "../../utils/embed_params.ts";

/** The iframe embed is the document and the widget alone: no site frame. */
export const config: RouteConfig = {
  skipAppWrapper: true,
  skipInheritedLayouts: true,
};

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
    <>
      <Head>
        <title>Collab Chat</title>
        <link rel="stylesheet" href={asset("/tack.css")} />
        <link rel="stylesheet" href={asset("/collab.css")} />
        <link rel="stylesheet" href={asset("/embed.css")} />
      </Head>
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
    </>
  );
}
