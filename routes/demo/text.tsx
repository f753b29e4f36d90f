import type { Handlers, PageProps } from "$fresh/server.ts";
import { asset, Head } from "$fresh/runtime.ts";
import { PageShell } from "../../components/PageShell.tsx";
import CollabChat from "../../islands/CollabChat.tsx";
import { DEFAULT_DOCUMENT, loadDocument } from "../../utils/text_embed.ts";
import { loadTextRoom, type TextRoomSnapshot } from "../../utils/text_room.ts";

/** The demo room: the sample article of the `demo` tenant. */
const DEMO = { tenant: "demo", urlId: "demo-text", src: DEFAULT_DOCUMENT };

interface TextDemoData {
  article: string;
  room: TextRoomSnapshot;
}

export const handler: Handlers<TextDemoData> = {
  async GET(_req, ctx) {
    const [article, room] = await Promise.all([
      loadDocument(DEMO.src),
      loadTextRoom(DEMO.tenant, DEMO.urlId),
    ]);
    if (article === null) throw new Error(`Missing ${DEMO.src}`);
    return ctx.render({ article, room });
  },
};

export default function TextDemo({ data }: PageProps<TextDemoData>) {
  return (
    <PageShell
      title="Collab Chat demo"
      description="Select any passage of the article to discuss it, live."
    >
      <Head>
        <link rel="stylesheet" href={asset("/collab.css")} />
      </Head>
      <div class="demo-intro">
        <h1>Collab Chat</h1>
        <p>
          Select any words in the article below and wait a moment: a “Start
          discussion” button appears. Open this page in a second window to see
          highlights and comments arrive live.
        </p>
      </div>
      <div class="demo-article">
        <CollabChat
          tenant={DEMO.tenant}
          urlId={DEMO.urlId}
          initialChats={data.room.chats}
          initialSeq={data.room.seq}
        >
          <div
            // A document of our own static/docs/, not user input.
            // deno-lint-ignore react-no-danger
            dangerouslySetInnerHTML={{ __html: data.article }}
          />
        </CollabChat>
      </div>
    </PageShell>
  );
}
