import type { Handlers, PageProps } from "$fresh/server.ts";
import { PageShell } from "../../components/PageShell.tsx";
import ImageChat from "../../islands/ImageChat.tsx";
import {
  type ImageRoomSnapshot,
  loadImageRoom,
} from "../../utils/image_room.ts";

/** The demo room: the sample image of the `demo` tenant. */
const DEMO = {
  tenant: "demo",
  urlId: "demo-image",
  src: "/sample-image.svg",
  alt: "A mountain lake at dusk with a red cabin, a jetty and a canoe",
};

export const handler: Handlers<ImageRoomSnapshot> = {
  async GET(_req, ctx) {
    return ctx.render(await loadImageRoom(DEMO.tenant, DEMO.urlId));
  },
};

export default function ImageDemo({ data }: PageProps<ImageRoomSnapshot>) {
  return (
    <PageShell
      title="Image Chat demo"
      description="Click anywhere on the picture to start a live discussion."
    >
      <div class="demo-intro">
        <h1>Image Chat</h1>
        <p>
          Click anywhere on the picture to start a discussion. Open this page in
          a second window: markers and comments appear in both, live.
        </p>
      </div>
      <div class="demo-stage">
        <ImageChat
          tenant={DEMO.tenant}
          urlId={DEMO.urlId}
          src={DEMO.src}
          alt={DEMO.alt}
          maxReplyDepth={1}
          initialChats={data.chats}
          initialSeq={data.seq}
        />
      </div>
    </PageShell>
  );
}
