import { PageShell } from "../components/PageShell.tsx";

const IFRAME_SNIPPET =
  `<script src="https://tack.example.com/embed.js" async></script>
<div data-tack-image-chat
     data-tenant="your-tenant"
     data-url-id="product-photo-42"
     data-src="https://your-site.example/photo.jpg"></div>`;

const HOST_SNIPPET = `<img id="photo" src="/photo.jpg" alt="…">
<script src="https://tack.example.com/embed.js"></script>
<script>
  Tack.imageChat(document.getElementById("photo"), {
    tenant: "your-tenant",
    urlId: "product-photo-42",
  });
</script>`;

/** The landing page: what Tack is, the demos, and how to embed it. */
export default function Home() {
  return (
    <PageShell
      title="Live discussions on images and text"
      description="Tack adds realtime annotation to any page: markers with chat threads on images, and discussions on selected text."
    >
      <section class="hero">
        <p class="eyebrow">Self-hostable · realtime · open protocol</p>
        <h1>Pin a conversation to any spot on the page.</h1>
        <p class="lede">
          Tack is a small annotation service. Readers click a point on an image
          or select a passage of text and start a discussion right there.
          Everyone looking at the same page sees markers, highlights and
          comments appear live — no reload, in every tab and on every device.
        </p>
        <div class="cta">
          <a class="button primary" href="/demo/image">Try Image Chat</a>
          <a class="button" href="/demo/text">Try Collab Chat</a>
        </div>
      </section>

      <section class="features" aria-label="Products">
        <article>
          <h2>Image Chat</h2>
          <p>
            Click anywhere on a picture: a marker appears and a chat window
            opens. Markers stay on their spot at any size, show their comment
            count, and update for every viewer as people talk.
          </p>
          <a href="/demo/image">Open the image demo →</a>
        </article>
        <article>
          <h2>Collab Chat</h2>
          <p>
            Select a passage of an article to discuss it. Highlights find their
            text again after the document is edited, and discussions whose
            passage is gone are kept, not lost.
          </p>
          <a href="/demo/text">Open the text demo →</a>
        </article>
        <article>
          <h2>Built to be hosted</h2>
          <p>
            One Deno process with Deno KV, or many isolates and instances: every
            write gets a sequence number, and clients that lose their connection
            catch up on exactly what they missed.
          </p>
          <a href="/api/v1/demo/image-chats?urlId=demo-image">
            Peek at the JSON API →
          </a>
        </article>
      </section>

      <section id="embed" class="embed-docs">
        <h2>Embed it with one line</h2>
        <p>
          Add the script and a placeholder; Tack creates an iframe that sizes
          itself to its content. Use <code>data-readonly="1"</code>{" "}
          to show discussions without allowing new ones, and{" "}
          <code>data-dark="1"</code> on dark pages.
        </p>
        <pre><code>{IFRAME_SNIPPET}</code></pre>
        <p>
          Or keep your own <code>&lt;img&gt;</code>{" "}
          element and let Tack mount on it directly:
        </p>
        <pre><code>{HOST_SNIPPET}</code></pre>
        <p>
          Each <code>urlId</code>{" "}
          is one room: everyone viewing the same id sees the same markers.
        </p>
      </section>
    </PageShell>
  );
}
