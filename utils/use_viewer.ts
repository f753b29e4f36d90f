/**
 * Who is viewing a room, for the layers: the user and whether they moderate,
 * and how they get a session when they first write — by a chosen name, or,
 * when the site signs its users in (SSO), by the site's signed payload with
 * no name asked.
 *
 * @module
 */

import { useEffect, useRef, useState } from "preact/hooks";
import type { Chat, User } from "./protocol.ts";
import type { SsoPayload } from "./sso.ts";
import type { LiveRoomHandle } from "./use_live_room.ts";

/** Options of {@linkcode useViewer}. */
export interface UseViewerOptions {
  /** The site's signed SSO payload, if the site signs its users in. */
  sso?: SsoPayload | null;
  /**
   * Inside an iframe embed: ask the parent page for the payload (see
   * `embed_sso.ts`).
   * @default false
   */
  ssoFromParent?: boolean;
  /** Told when signing in with the payload fails. */
  onSsoError?: (error: unknown) => void;
}

/** What {@linkcode useViewer} gives a layer. */
export interface Viewer {
  /** The viewer's user, or null before they have a session. */
  user: User | null;
  /** Deletes anyone's chats and comments (never edits them). */
  moderator: boolean;
  /** Whether to ask for a display name: not when the site signs in. */
  askName: boolean;
  /** Gives the viewer a session: the SSO payload's, else under `name`. */
  identify: (name: string) => Promise<unknown>;
  /** Whether the viewer may delete `chat`: its creator or a moderator. */
  canDeleteChat: (chat: Chat) => boolean;
}

/**
 * Follows the viewer of a room. With an SSO payload (given, or sent by the
 * parent page) it signs in at once, so the viewer writes as the site's user
 * from the first comment on.
 *
 * @example
 * ```tsx
 * const handle = useLiveRoom({ tenant, urlId, kind: "image" });
 * const viewer = useViewer(handle, { sso: props.sso });
 * <Composer user={viewer.user} askName={viewer.askName} onIdentify={viewer.identify} … />
 * ```
 */
export function useViewer(
  { api, identity, room }: LiveRoomHandle,
  options: UseViewerOptions = {},
): Viewer {
  const [sso, setSso] = useState(options.sso ?? null);
  const signingIn = useRef<Promise<User> | null>(null);
  const session = identity.session.value;

  // One exchange at a time; a later call (after a failure, or after a
  // refused token made the session go) tries again.
  const signIn = (payload: SsoPayload) =>
    signingIn.current ??= identity.signInWithSso(api, payload).finally(() => {
      signingIn.current = null;
    });

  // Only embeds take the payload from their parent, so only they fetch the
  // code that listens for it.
  useEffect(() => {
    if (!options.ssoFromParent || options.sso) return;
    let stop: (() => void) | null = null;
    let active = true;
    import("./embed_sso.ts").then(({ receiveSsoFromParent }) => {
      if (active) stop = receiveSsoFromParent(setSso);
    });
    return () => {
      active = false;
      stop?.();
    };
  }, []);

  useEffect(() => {
    if (sso) signIn(sso).catch((error) => options.onSsoError?.(error));
  }, [sso]);

  const moderator = session?.moderator ?? false;
  return {
    user: session?.user ?? null,
    moderator,
    askName: sso === null,
    identify: (name) => sso ? signIn(sso) : room.identify(name),
    canDeleteChat: (chat) =>
      moderator || (session !== null && session.user.id === chat.createdBy.id),
  };
}
