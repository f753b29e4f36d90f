import type { ComponentChildren } from "preact";
import type { RouteConfig } from "$fresh/server.ts";
import { asset, Head } from "$fresh/runtime.ts";

/** An iframe embed is the widget alone: no site frame around it. */
export const EMBED_ROUTE_CONFIG: RouteConfig = {
  skipAppWrapper: true,
  skipInheritedLayouts: true,
};

/** Props of {@linkcode EmbedShell}. */
export interface EmbedShellProps {
  /** The document title. */
  title: string;
  /** The widget's own stylesheets, between Tack's and the embed's. */
  stylesheets?: string[];
  children: ComponentChildren;
}

/** The frame of an iframe embed page: its head tags around the widget. */
export function EmbedShell(props: EmbedShellProps) {
  return (
    <>
      <Head>
        <title>{props.title}</title>
        <link rel="stylesheet" href={asset("/tack.css")} />
        {props.stylesheets?.map((href) => (
          <link key={href} rel="stylesheet" href={asset(href)} />
        ))}
        <link rel="stylesheet" href={asset("/embed.css")} />
      </Head>
      {props.children}
    </>
  );
}
