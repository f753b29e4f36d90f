import type { TextChat } from "../utils/protocol.ts";

/** Props of {@linkcode OrphansPanel}. */
export interface OrphansPanelProps {
  /** Discussions whose passage is no longer in the text. */
  orphans: TextChat[];
  /** The open discussion, shown as pressed. */
  selected: string | null;
  onOpen: (chatId: string) => void;
}

const QUOTE_SHOWN = 120;

/**
 * Discussions whose passage was edited away: still listed with their quote,
 * still open to read and answer, never silently dropped.
 */
export function OrphansPanel({ orphans, selected, onOpen }: OrphansPanelProps) {
  if (orphans.length === 0) return null;
  const count = orphans.length;
  return (
    <details class="tack-orphans" data-testid="orphans" open>
      <summary>
        {count} {count === 1 ? "discussion refers" : "discussions refer"}{" "}
        to text that has changed
      </summary>
      <ul>
        {orphans.map((chat) => (
          <li key={chat.id}>
            <button
              type="button"
              class="tack-orphan"
              data-testid="orphan"
              data-chat-id={chat.id}
              aria-pressed={chat.id === selected}
              onClick={() => onOpen(chat.id)}
            >
              <q>{shorten(chat.anchor.quote)}</q>
              <span class="tack-muted">
                {chat.createdBy.name} · {chat.commentCount}{" "}
                {chat.commentCount === 1 ? "comment" : "comments"}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** A quote cut to a readable length at a word boundary. */
export function shorten(quote: string, max = QUOTE_SHOWN): string {
  const flat = quote.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${cut.slice(0, space > max / 2 ? space : max)}…`;
}
