/**
 * Mounts Tack on a host page's own elements (used by `static/embed.js`
 * through `Tack.imageChat(img, options)`). Bundled as a plugin entrypoint, so
 * it shares preact with the islands and loads from Tack's origin.
 *
 * @module
 */

import { render } from "preact";
import {
  ImageChatLayer,
  type ImageChatOptions,
} from "../components/ImageChatLayer.tsx";

/** Options of {@linkcode mountImageChat}: Image Chat's, with `src` optional. */
export type MountImageChatOptions =
  & Omit<ImageChatOptions, "src" | "apiBase">
  & {
    /** The image URL stored with markers. @default the image's `src` */
    src?: string;
    /** Tack's origin. @default the origin this module was loaded from */
    apiBase?: string;
  };

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
 * mountImageChat(document.querySelector("img")!, { tenant: "demo", urlId: "hero" });
 * ```
 */
export function mountImageChat(
  img: HTMLImageElement,
  options: MountImageChatOptions,
): Mounted {
  const apiBase = options.apiBase ?? new URL(import.meta.url).origin;
  ensureStylesheet(apiBase);
  const wrapper = document.createElement("div");
  wrapper.className = "tack-image-chat";
  wrapper.dataset.testid = "image-chat";
  img.replaceWith(wrapper);
  wrapper.append(img);
  // preact replaces a container's children, so the overlay gets its own.
  const holder = document.createElement("div");
  holder.style.display = "contents";
  wrapper.append(holder);
  render(
    <ImageChatLayer
      {...options}
      apiBase={apiBase}
      src={options.src ?? (img.currentSrc || img.src)}
    />,
    holder,
  );
  return {
    unmount() {
      render(null, holder);
      wrapper.replaceWith(img);
    },
  };
}

/** Adds Tack's widget stylesheet to the host page once. */
function ensureStylesheet(apiBase: string): void {
  const href = `${apiBase}/tack.css`;
  if (document.querySelector(`link[data-tack-styles]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  link.dataset.tackStyles = "";
  document.head.append(link);
}
