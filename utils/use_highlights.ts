/**
 * Keeps the highlights of a content element in step with its text chats:
 * each new chat is re-anchored (`locateAll`) and highlighted, or listed as an
 * orphan; a deleted chat's highlight is removed. Chats already placed are
 * left alone, so a live update does not disturb the page (or a selection in
 * progress) more than it must.
 *
 * While the text is as it was when a passage was chosen, its offsets still
 * hold the quote and the passage is highlighted at once. Only when the text
 * has changed is the matcher (`anchoring.ts`, with its approximate search)
 * fetched to find the rest, so pages whose text is unchanged never load it.
 *
 * @module
 */

import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { RefObject } from "preact";
import {
  type Highlight,
  highlightRange,
  removeHighlight,
} from "./highlight.ts";
import type { Anchor, TextChat } from "./protocol.ts";
import type { Rect } from "./placement.ts";
import { lazyModule } from "./use_lazy.ts";

const anchoring = lazyModule(() => import("./anchoring.ts"));

/** What {@linkcode useHighlights} reports. */
export interface HighlightsHandle {
  /** Chats whose passage was not found in the text, in the given order. */
  orphans: TextChat[];
  /** On-screen box of a chat's first mark, or null when it has none. */
  rectOf: (chatId: string) => Rect | null;
}

/**
 * Where `anchor` is if the text did not change: its offsets, when they still
 * hold its quote (the first thing `locate` tries, too). Null otherwise.
 */
function unmoved(text: string, anchor: Anchor): [number, number] | null {
  const { quote, start, end } = anchor;
  return quote.length > 0 && text.slice(start, end) === quote
    ? [start, end]
    : null;
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
  // Set once the matcher has loaded, so the effect runs again with it.
  const [matcher, setMatcher] = useState(anchoring.current);

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
    const place = (chat: TextChat, start: number, end: number) => {
      const highlight = highlightRange(el, start, end, chat.id);
      if (highlight.marks.length > 0) placed.current.set(chat.id, highlight);
      else orphanIds.current.add(chat.id);
    };
    const text = el.textContent ?? "";
    const moved = fresh.filter((chat) => {
      const where = unmoved(text, chat.anchor);
      if (where) place(chat, ...where);
      return !where;
    });
    if (moved.length > 0 && matcher) {
      const found = matcher.locateAll(text, moved.map((chat) => chat.anchor));
      moved.forEach((chat, i) => {
        const where = found[i];
        if (where) place(chat, where.start, where.end);
        else orphanIds.current.add(chat.id);
      });
    } else if (moved.length > 0) {
      // These wait for the matcher: neither placed nor orphans yet.
      anchoring.load().then(
        (module) => setMatcher(() => module),
        // Without the matcher the passages cannot be found: orphans.
        () => {
          for (const chat of moved) orphanIds.current.add(chat.id);
          setOrphanKey([...orphanIds.current].sort().join(" "));
        },
      );
    }
    for (const chat of chats) {
      const title = describeChat(chat);
      for (const mark of placed.current.get(chat.id)?.marks ?? []) {
        mark.title = title;
      }
    }
    setOrphanKey([...orphanIds.current].sort().join(" "));
  }, [chats, matcher]);

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
