import { useRef } from "preact/hooks";
import type { ComponentChildren } from "preact";
import {
  CollabChatLayer,
  type CollabChatOptions,
} from "../components/CollabChatLayer.tsx";

/** Props of the Collab Chat island. */
export interface CollabChatProps extends CollabChatOptions {
  /** The content to annotate, usually a server-rendered article. */
  children?: ComponentChildren;
}

/**
 * Collab Chat: readers select text in the content and discuss it; passages
 * under discussion are highlighted for everyone viewing the same `urlId`,
 * live. The content sits in `[data-testid=text-chat]`, whose text the
 * discussions are anchored to.
 */
export default function CollabChat({ children, ...options }: CollabChatProps) {
  const content = useRef<HTMLDivElement>(null);
  // This component keeps no state, so it never re-renders: the content's DOM
  // (with its highlight marks) stays as the server sent it.
  return (
    <div class="tack-collab">
      <CollabChatLayer {...options} root={content} />
      <div class="tack-collab-content" data-testid="text-chat" ref={content}>
        {children}
      </div>
    </div>
  );
}
