/**
 * Keeps the highlights of a content element in step with its text chats:
 * each new chat is re-anchored (`locateAll`) and highlighted, or listed as an
 * orphan; a deleted chat's highlight is removed. Chats already placed are
 * left alone, so a live update does not disturb the page (or a selection in
 * progress) more than it must.
 *
 * @module
 */

import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { RefObject } from "preact";
import { locateAll } from "./anchoring.ts";
import {
  type Highlight,
  highlightRange,
  removeHighlight,
} from "./highlight.ts";
import type { TextChat } from "./protocol.ts";
import type { Rect } from "./placement.ts";

/** What {@linkcode useHighlights} reports. */
export interface HighlightsHandle {
  /** Chats whose passage was not found in the text, in the given order. */
  orphans: TextChat[];
  /** On-screen box of a chat's first mark, or null when it has none. */
  rectOf: (chatId: string) => Rect | null;
}

/** The tooltip of a chat's marks. */
function describeChat(chat: TextChat): string {
  const comments = `${chat.commentCount} ${
    chat.commentCount === 1 ? "comment" : "comments"
  }`;
  return `Discussion by ${chat.createdBy.name} · ${comments}`;
}

/**
 * Highlights `chats` inside `root` and returns the orphans.
 *
 * @example
 * ```tsx
 * const { orphans, rectOf } = useHighlights(contentRef, textChats);
 * ```
 */
export function useHighlights(
  root: RefObject<HTMLElement>,
  chats: readonly TextChat[],
): HighlightsHandle {
  const placed = useRef(new Map<string, Highlight>());
  const orphanIds = useRef(new Set<string>());
  const [orphanKey, setOrphanKey] = useState("");

  useLayoutEffect(() => {
    const el = root.current;
    if (!el) return;
    const live = new Set(chats.map((chat) => chat.id));
    for (const [id, highlight] of placed.current) {
      if (live.has(id)) continue;
      removeHighlight(highlight);
      placed.current.delete(id);
    }
    for (const id of orphanIds.current) {
      if (!live.has(id)) orphanIds.current.delete(id);
    }
    const fresh = chats.filter((chat) =>
      !placed.current.has(chat.id) && !orphanIds.current.has(chat.id)
    );
    if (fresh.length > 0) {
      const found = locateAll(
        el.textContent ?? "",
        fresh.map((chat) => chat.anchor),
      );
      fresh.forEach((chat, i) => {
        const where = found[i];
        if (where) {
          const highlight = highlightRange(el, where.start, where.end, chat.id);
          if (highlight.marks.length > 0) {
            placed.current.set(chat.id, highlight);
            return;
          }
        }
        orphanIds.current.add(chat.id);
      });
    }
    for (const chat of chats) {
      const title = describeChat(chat);
      for (const mark of placed.current.get(chat.id)?.marks ?? []) {
        mark.title = title;
      }
    }
    setOrphanKey([...orphanIds.current].sort().join(" "));
  }, [chats]);

  // Leave the page's DOM as it was when the widget goes away.
  useLayoutEffect(() => () => {
    for (const highlight of placed.current.values()) removeHighlight(highlight);
    placed.current.clear();
  }, []);

  const orphanSet = new Set(orphanKey ? orphanKey.split(" ") : []);
  return {
    orphans: chats.filter((chat) => orphanSet.has(chat.id)),
    rectOf: (chatId) =>
      placed.current.get(chatId)?.marks[0]?.getBoundingClientRect() ?? null,
  };
}
