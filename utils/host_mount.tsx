/**
 * Mounts Tack on a host page's own elements (used by `static/embed.js`
 * through `Tack.imageChat(img, options)` and `Tack.collabChat(element,
 * options)`). Bundled as a plugin entrypoint, so it shares preact with the
 * islands and loads from Tack's origin.
 *
 * @module
 */

import { render, type VNode } from "preact";
import {
  ImageChatLayer,
  type ImageChatOptions,
} from "../components/ImageChatLayer.tsx";
import {
  CollabChatLayer,
  type CollabChatOptions,
} from "../components/CollabChatLayer.tsx";

/** Options every mount takes. */
interface HostMountOptions {
  /** Tack's origin. @default the origin this module was loaded from */
  apiBase?: string;
}

/** Options of {@linkcode mountImageChat}: Image Chat's, with `src` optional. */
export type MountImageChatOptions =
  & Omit<ImageChatOptions, "src" | "apiBase">
  & HostMountOptions
  & {
    /** The image URL stored with markers. @default the image's `src` */
    src?: string;
  };

/**
 * Options of {@linkcode mountCollabChat}: Collab Chat's. The iframe-only
 * `embedded` and the server-rendered `initialChats`/`initialSeq` do not apply.
 */
export type MountCollabChatOptions =
  & Omit<
    CollabChatOptions,
    "apiBase" | "embedded" | "initialChats" | "initialSeq"
  >
  & HostMountOptions;

/** A mounted widget. */
export interface Mounted {
  /** Removes the widget and puts the host element back as it was. */
  unmount(): void;
}

/**
 * Wraps `img` in a positioned container and renders Image Chat's overlay on
 * it. The image itself stays the host page's element.
 *
 * @example
 * ```ts
 * const chat = mountImageChat(document.querySelector("img")!, {
 *   tenant: "demo",
 *   urlId: "hero",
 * });
 * chat.unmount();
 * ```
 */
export function mountImageChat(
  img: HTMLImageElement,
  options: MountImageChatOptions,
): Mounted {
  return mountWidget(options.apiBase, ["tack.css"], (holder) => {
    const wrapper = document.createElement("div");
    wrapper.className = "tack-image-chat";
    wrapper.dataset.testid = "image-chat";
    img.replaceWith(wrapper);
    wrapper.append(img, holder);
    return () => wrapper.replaceWith(img);
  }, (apiBase) => (
    <ImageChatLayer
      {...options}
      apiBase={apiBase}
      src={options.src ?? (img.currentSrc || img.src)}
    />
  ));
}

/**
 * Annotates the text of `element` in place: readers select a passage of it
 * and discuss it, and passages under discussion are highlighted, live. The
 * widget's bar and windows render just before the element; the element's
 * own DOM only gains highlight marks, which unmounting removes.
 *
 * @example
 * ```ts
 * const chat = mountCollabChat(document.querySelector("article")!, {
 *   tenant: "demo",
 *   urlId: "essay-1",
 * });
 * chat.unmount();
 * ```
 */
export function mountCollabChat(
  element: HTMLElement,
  options: MountCollabChatOptions,
): Mounted {
  return mountWidget(options.apiBase, ["tack.css", "collab.css"], (holder) => {
    // Tests and styles find the annotated text by this id, as in the island;
    // a page that set its own id keeps it.
    const ownTestId = element.dataset.testid;
    element.dataset.testid ??= "text-chat";
    element.before(holder);
    return () => {
      if (ownTestId === undefined) delete element.dataset.testid;
    };
  }, (apiBase) => (
    <CollabChatLayer
      {...options}
      apiBase={apiBase}
      root={{ current: element }}
    />
  ));
}

/**
 * What both mounts share: Tack's origin, its stylesheets on the host page,
 * and a holder element of the widget's own, since preact replaces the
 * children of the element it renders into. `place` puts the holder into the
 * page and returns what puts the page back.
 */
function mountWidget(
  apiBase: string | undefined,
  stylesheets: readonly string[],
  place: (holder: HTMLElement) => () => void,
  widget: (apiBase: string) => VNode,
): Mounted {
  const base = apiBase ?? new URL(import.meta.url).origin;
  for (const name of stylesheets) ensureStylesheet(base, name);
  const holder = document.createElement("div");
  holder.style.display = "contents";
  const restore = place(holder);
  render(widget(base), holder);
  return {
    unmount() {
      // Unrendering first lets the widget remove its highlight marks.
      render(null, holder);
      holder.remove();
      restore();
    },
  };
}

/** Adds one of Tack's stylesheets to the host page, once. */
function ensureStylesheet(apiBase: string, name: string): void {
  if (document.querySelector(`link[data-tack-styles="${name}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = `${apiBase}/${name}`;
  link.dataset.tackStyles = name;
  document.head.append(link);
}
