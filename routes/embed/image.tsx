import type { Handlers, PageProps } from "$fresh/server.ts";
import {
  EMBED_ROUTE_CONFIG,
  EmbedShell,
} from "../../components/EmbedShell.tsx";
import ImageChat from "../../islands/ImageChat.tsx";
import { getTenant } from "../../utils/db_tenants.ts";
import {
  type ImageEmbedParams,
  parseImageEmbedParams,
  readEmbedQuery,
} from "../../utils/embed_params.ts";
import {
  type ImageRoomSnapshot,
  loadImageRoom,
} from "../../utils/image_room.ts";

export const config = EMBED_ROUTE_CONFIG;

interface EmbedData {
  params: ImageEmbedParams;
  room: ImageRoomSnapshot;
}

export const handler: Handlers<EmbedData> = {
  async GET(req, ctx) {
    const params = readEmbedQuery(req, parseImageEmbedParams);
    if (params instanceof Response) return params;
    if (!await getTenant(params.tenant)) return ctx.renderNotFound();
    const room = await loadImageRoom(params.tenant, params.urlId);
    return ctx.render({ params, room });
  },
};

export default function ImageEmbed({ data }: PageProps<EmbedData>) {
  const { params, room } = data;
  return (
    <EmbedShell title="Image Chat">
      <ImageChat
        tenant={params.tenant}
        urlId={params.urlId}
        src={params.src}
        alt={params.alt}
        readonly={params.readonly}
        hasDarkBackground={params.hasDarkBackground}
        maxReplyDepth={params.maxReplyDepth}
        chatSquarePercentage={params.chatSquarePercentage}
        initialChats={room.chats}
        initialSeq={room.seq}
        embedded
      />
    </EmbedShell>
  );
}
