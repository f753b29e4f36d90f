/**
 * Tack embed script. One tag embeds Tack on any page:
 *
 *   <script src="https://TACK/embed.js" async></script>
 *   <div data-tack-image-chat data-tenant="t" data-url-id="photo-1"
 *        data-src="https://example.com/photo.jpg"></div>
 *
 * Each placeholder becomes an iframe that keeps its height in step with its
 * content. `Tack.imageChat(img, { tenant, urlId })` mounts on the page's own
 * <img> instead, and `Tack.collabChat(element, { tenant, urlId })` on an
 * element holding text. Sites that sign their users in pass the signed SSO
 * payload as `data-sso` (JSON) or as the `sso` option.
 */
(() => {
  "use strict";
  if (globalThis.Tack) return;

  const script = document.currentScript;
  const origin = new URL(script ? script.src : location.href).origin;
  const frames = new Set();
  // Frames that have reported a height: their embed started.
  const started = new WeakSet();
  // How long after its page loaded a frame may take to start before the
  // site's developer is told, in the console, what usually stops it.
  const START_TIMEOUT_MS = 10000;

  // Placeholder attribute → the iframe route and its query parameters.
  const EMBEDS = {
    "data-tack-image-chat": {
      path: "/embed/image",
      params: {
        tenant: "tenant",
        urlId: "urlId",
        src: "src",
        alt: "alt",
        readonly: "readonly",
        dark: "dark",
        maxReplyDepth: "maxReplyDepth",
        chatSquarePercentage: "chatSquarePercentage",
      },
    },
    "data-tack-collab-chat": {
      path: "/embed/text",
      params: {
        tenant: "tenant",
        urlId: "urlId",
        src: "src",
        readonly: "readonly",
        dark: "dark",
      },
    },
  };

  /** Replaces every not-yet-embedded placeholder under `root` with an iframe. */
  function embedAll(root) {
    for (const [attribute, embed] of Object.entries(EMBEDS)) {
      for (const el of (root || document).querySelectorAll(`[${attribute}]`)) {
        if (el.dataset.tackEmbedded) continue;
        el.dataset.tackEmbedded = "1";
        el.append(createFrame(el, embed));
      }
    }
  }

  function createFrame(el, embed) {
    const url = new URL(embed.path, origin);
    for (const [dataKey, param] of Object.entries(embed.params)) {
      const value = el.dataset[dataKey];
      if (value !== undefined) url.searchParams.set(param, value);
    }
    const frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = el.dataset.title || "Discussion";
    frame.loading = "lazy";
    frame.setAttribute("allowtransparency", "true");
    frame.style.cssText =
      "display:block;width:100%;border:0;background:transparent;color-scheme:normal;height:" +
      (el.dataset.height || "320") + "px";
    frames.add(frame);
    frame.addEventListener("load", () => {
      setTimeout(() => {
        if (started.has(frame) || !frame.isConnected) return;
        console.warn(
          `Tack: the embed for tenant "${el.dataset.tenant ?? ""}" has not ` +
            `started. Is ${location.origin} one of the tenant's allowed ` +
            "origins (Allowed origins, on its dashboard)? Are the " +
            "placeholder's data-tenant and data-url-id right? The frame's " +
            "own page may say more.",
          el,
        );
      }, START_TIMEOUT_MS);
    }, { once: true });
    return frame;
  }

  // Embeds report their content height; only messages from our own frames
  // count, whatever else the page runs.
  addEventListener("message", (event) => {
    if (event.origin !== origin) return;
    const data = event.data;
    if (!data || data.type !== "tack:height") return;
    const height = Number(data.height);
    if (!Number.isFinite(height) || height < 0 || height > 100000) return;
    for (const frame of frames) {
      if (frame.contentWindow === event.source) {
        frame.style.height = Math.ceil(height) + "px";
        started.add(frame);
      }
    }
  });

  // Single sign-on: a placeholder's `data-sso` (the site's signed payload,
  // as JSON) goes to its own frame when that frame asks, by message, so it
  // never sits in an iframe URL.
  addEventListener("message", (event) => {
    if (event.origin !== origin || event.data?.type !== "tack:sso-request") {
      return;
    }
    for (const frame of frames) {
      const sso = frame.parentElement?.dataset.sso;
      if (frame.contentWindow !== event.source || !sso) continue;
      const message = { type: "tack:sso", sso: JSON.parse(sso) };
      frame.contentWindow.postMessage(message, origin);
    }
  });

  let hostModule = null;
  /** Loads the host-page mount module from Tack (once). */
  function loadHostModule() {
    hostModule ??= fetch(origin + "/embed/host-module")
      .then((response) => {
        if (!response.ok) throw new Error("Tack: host module unavailable");
        return response.json();
      })
      .then(({ url }) => import(url))
      .catch((error) => {
        hostModule = null;
        throw error;
      });
    return hostModule;
  }

  globalThis.Tack = {
    origin,
    /** Re-scans the page (or `root`) for placeholders. */
    embed: embedAll,
    /** Mounts Image Chat on an <img>; resolves to `{ unmount() }`. */
    imageChat(img, options) {
      return loadHostModule().then((m) =>
        m.mountImageChat(img, { apiBase: origin, ...options })
      );
    },
    /** Mounts Collab Chat on an element holding text; resolves to `{ unmount() }`. */
    collabChat(element, options) {
      return loadHostModule().then((m) =>
        m.mountCollabChat(element, { apiBase: origin, ...options })
      );
    },
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => embedAll());
  } else {
    embedAll();
  }
})();
