import type { ComponentChildren } from "preact";
import { asset, Head } from "$fresh/runtime.ts";

/** Props of {@linkcode PageShell}. */
export interface PageShellProps {
  /** The document title; " · Tack" is appended. */
  title: string;
  /** Meta description for search engines and link previews. */
  description?: string;
  children: ComponentChildren;
}

/** The site's frame for Tack's own pages: head tags, top bar, main column. */
export function PageShell({ title, description, children }: PageShellProps) {
  return (
    <>
      <Head>
        <title>{`${title} · Tack`}</title>
        {description && <meta name="description" content={description} />}
        <link rel="stylesheet" href={asset("/tack.css")} />
        <link rel="stylesheet" href={asset("/site.css")} />
      </Head>
      <header class="site-header">
        <a class="site-logo" href="/">
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
            <rect x="3" y="3" width="18" height="18" rx="5" fill="#5b4ff5" />
            <path
              d="M8 8.5h8M12 8.5V17"
              stroke="#fff"
              stroke-width="2.2"
              stroke-linecap="round"
            />
          </svg>
          Tack
        </a>
        <nav aria-label="Demos">
          <a href="/demo/image">Image Chat</a>
          <a href="/demo/text">Collab Chat</a>
          <a href="/#embed">Embed</a>
        </nav>
      </header>
      <main class="site-main">{children}</main>
    </>
  );
}
