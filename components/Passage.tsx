import type { TextChat } from "../utils/protocol.ts";
import { shorten } from "./OrphansPanel.tsx";

/** The passage a discussion is about. */
export function Quote({ text }: { text: string }) {
  return <blockquote class="tack-quote">{shorten(text, 280)}</blockquote>;
}

/** Other discussions on the clicked spot, where highlights overlap. */
export function OverlapSwitcher(props: {
  ids: string[];
  current: string;
  chats: ReadonlyMap<string, unknown>;
  onOpen: (chatId: string) => void;
}) {
  const others = props.ids
    .filter((id) => id !== props.current)
    .map((id) => props.chats.get(id) as TextChat | undefined)
    .filter((chat): chat is TextChat => chat !== undefined);
  if (others.length === 0) return null;
  return (
    <div class="tack-overlap" data-testid="highlight-picker">
      <span class="tack-muted">Also on this passage:</span>
      {others.map((chat) => (
        <button
          key={chat.id}
          type="button"
          class="tack-link"
          data-testid="highlight-choice"
          data-chat-id={chat.id}
          onClick={() => props.onOpen(chat.id)}
        >
          {chat.createdBy.name}: “{shorten(chat.anchor.quote, 40)}”
        </button>
      ))}
    </div>
  );
}
