/**
 * Single sign-on for the iframe embeds: the embed asks the page around it for
 * the site's signed SSO payload, and the page answers by `postMessage`
 * (`static/embed.js` does, for placeholders with `data-sso`). The payload so
 * never sits in an iframe URL, where server and proxy logs would keep it.
 *
 *     embed → page: { type: "tack:sso-request" }
 *     page → embed: { type: "tack:sso", sso: { userDataJSONBase64, verificationHash, timestamp } }
 *
 * @module
 */

import { parseSsoPayload, type SsoPayload } from "./sso.ts";

/** What the embed sends its parent page once it listens. */
export interface SsoRequestMessage {
  type: "tack:sso-request";
}

/** What the parent page answers with. */
export interface SsoMessage {
  type: "tack:sso";
  sso: SsoPayload;
}

/** The part of a window the embed talks to. */
export interface MessageTarget {
  postMessage(message: unknown, targetOrigin: string): void;
}

/**
 * Listens for the parent page's SSO payload and asks for it; calls
 * `onPayload` for each well-formed one. Returns a function that stops
 * listening. Does nothing outside an iframe.
 *
 * Only the parent window is listened to, whatever its origin: the tenant's
 * `frame-ancestors` already decide which sites may frame the embed, and a
 * payload proves itself by its signature when it is exchanged.
 *
 * @example
 * ```ts
 * const stop = receiveSsoFromParent((sso) => identity.signInWithSso(api, sso));
 * ```
 */
export function receiveSsoFromParent(
  onPayload: (sso: SsoPayload) => void,
  parent: MessageTarget | null = globalThis.parent,
  messages: EventTarget = globalThis,
): () => void {
  if (!parent || parent === (globalThis as unknown)) return () => {};
  const onMessage = (event: Event) => {
    const { source, data } = event as MessageEvent;
    if (source !== parent || data?.type !== "tack:sso") return;
    let sso: SsoPayload;
    try {
      sso = parseSsoPayload(data.sso);
    } catch {
      return; // Not a payload: the server would refuse it anyway.
    }
    onPayload(sso);
  };
  messages.addEventListener("message", onMessage);
  const request: SsoRequestMessage = { type: "tack:sso-request" };
  // The request carries nothing secret, so any parent origin may read it.
  parent.postMessage(request, "*");
  return () => messages.removeEventListener("message", onMessage);
}
