/**
 * Renders a page to a complete HTML document: the component stack
 * (`_app` → layouts → page), `<Head>` elements, and — only when islands were
 * rendered — the props state script and the module script that hydrates them.
 *
 * @module
 */
import {
  type ComponentChildren,
  type ComponentType,
  Fragment,
  h,
  isValidElement,
  toChildArray,
  type VNode,
} from "preact";
import { renderToString } from "preact-render-to-string";
import { HEAD_CONTEXT } from "./head.ts";
import { collectIslands, type Island, IslandCollector } from "./islands.ts";
import { escapeScriptJson, serialize } from "./serialize.ts";

/** What a page render needs. */
export interface RenderPageInput {
  /** Outermost first: `_app`, then layouts, then the page. */
  // deno-lint-ignore no-explicit-any
  stack: ComponentType<any>[];
  /** Props every component of the stack receives. */
  props: Record<string, unknown>;
  /** URL of a client bundle file, e.g. `main.js` → `/_frsh/js/<id>/main.js`. */
  scriptUrl: (file: string) => string;
  /** CSP nonce for the inline boot script. */
  nonce?: string;
}

/** The rendered document and the islands it uses. */
export interface RenderPageResult {
  html: string;
  islands: Set<Island>;
}

const DEFAULT_HEAD = '<meta charset="utf-8"/>' +
  '<meta name="viewport" content="width=device-width, initial-scale=1.0"/>';

/**
 * Renders the stack to `<!DOCTYPE html>…`.
 *
 * @example
 * ```ts
 * const { html } = renderPage({
 *   stack: [App, Page],
 *   props: { url, params: {}, data: null, state: {}, route: "/" },
 *   scriptUrl: (file) => `/_frsh/js/1/${file}`,
 * });
 * ```
 */
export function renderPage(input: RenderPageInput): RenderPageResult {
  const tree = nestComponents(input.stack, input.props);
  const headNodes: ComponentChildren[] = [];
  const collector = new IslandCollector();
  const body = collectIslands(
    collector,
    () => renderToString(h(HEAD_CONTEXT.Provider, { value: headNodes }, tree)),
  );
  const headHtml = renderToString(h(Fragment, null, headNodes));
  const hasTitle = toChildArray(headNodes).some((node) =>
    isValidElement(node) && node.type === "title"
  );
  const html = assembleDocument(
    body,
    headHtml,
    hasTitle,
    bootScripts(input, collector),
  );
  return { html, islands: collector.islands };
}

/**
 * Builds `<Outer {...props} Component={() => <Inner … />} />` from a stack
 * of components, outermost first.
 *
 * @example
 * ```ts
 * nestComponents([App, Layout, Page], props);
 * ```
 */
export function nestComponents(
  // deno-lint-ignore no-explicit-any
  stack: ComponentType<any>[],
  props: Record<string, unknown>,
): VNode | null {
  if (stack.length === 0) return null;
  const [outer, ...inner] = stack;
  return h(outer, { ...props, Component: () => nestComponents(inner, props) });
}

/** The state and boot scripts; empty when no island was rendered. */
function bootScripts(
  input: RenderPageInput,
  collector: IslandCollector,
): string {
  if (collector.islands.size === 0) return "";
  const state = escapeScriptJson(serialize(collector.props).serialized);
  const nonce = input.nonce ? ` nonce="${escapeAttribute(input.nonce)}"` : "";
  let imports = `import { revive } from "${input.scriptUrl("main.js")}";`;
  const registry: string[] = [];
  const modules = new Map<string, string>();
  for (const island of collector.islands) {
    let local = modules.get(island.name);
    if (local === undefined) {
      local = `$${modules.size}`;
      modules.set(island.name, local);
      imports += `import * as ${local} from "${
        input.scriptUrl(`island-${island.name}.js`)
      }";`;
    }
    registry.push(
      `${JSON.stringify(island.id)}:${local}[${
        JSON.stringify(island.exportName)
      }]`,
    );
  }
  return `<script id="__FRSH_STATE" type="application/json">${state}</script>` +
    `<script type="module"${nonce}>${imports}revive({${
      registry.join(",")
    }});</script>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Puts the rendered body into a document: head elements go before
 * `</head>` (a `<Head>` title replaces the app's), scripts before `</body>`.
 * Bodies without `<html>` get a default document around them.
 */
function assembleDocument(
  rendered: string,
  headHtml: string,
  replaceTitle: boolean,
  scripts: string,
): string {
  let html = /^<html[\s>]/i.test(rendered)
    ? rendered
    : `<html><head>${DEFAULT_HEAD}</head><body>${rendered}</body></html>`;
  const headEnd = html.indexOf("</head>");
  if (headEnd === -1) {
    const htmlOpenEnd = html.indexOf(">") + 1;
    html = `${html.slice(0, htmlOpenEnd)}<head>${headHtml}</head>${
      html.slice(htmlOpenEnd)
    }`;
  } else {
    let head = html.slice(0, headEnd);
    if (replaceTitle) head = head.replace(/<title>[\s\S]*?<\/title>/, "");
    html = head + headHtml + html.slice(headEnd);
  }
  const bodyEnd = html.lastIndexOf("</body>");
  const at = bodyEnd === -1 ? html.lastIndexOf("</html>") : bodyEnd;
  html = html.slice(0, at) + scripts + html.slice(at);
  return "<!DOCTYPE html>" + html;
}
