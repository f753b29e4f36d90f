import type { ImageChat } from "../utils/protocol.ts";

/** Props of {@linkcode Marker}. */
export interface MarkerProps {
  chat: ImageChat;
  /** Width of the square, in percent of the image width. */
  sizePercent: number;
  selected: boolean;
  /** Not yet stored on the server. */
  pending: boolean;
  onOpen: () => void;
}

/**
 * A marker: a square centred on its spot, in percentages of the image so it
 * stays in place when the image resizes, showing its comment count.
 */
export function Marker(
  { chat, sizePercent, selected, pending, onOpen }: MarkerProps,
) {
  const count = chat.commentCount;
  const label = `Discussion by ${chat.createdBy.name}, ${count} ${
    count === 1 ? "comment" : "comments"
  }`;
  const classes = ["tack-marker"];
  if (selected) classes.push("tack-selected");
  if (pending) classes.push("tack-pending");
  return (
    <button
      type="button"
      class={classes.join(" ")}
      data-testid="marker"
      data-chat-id={chat.id}
      style={`left:${chat.x}%;top:${chat.y}%;width:${sizePercent}%`}
      aria-label={label}
      aria-haspopup="dialog"
      aria-expanded={selected}
      title={label}
      onClick={(event) => {
        event.stopPropagation();
        onOpen();
      }}
    >
      {/* A new element per count, so its entrance animation marks a change. */}
      <span key={count} class="tack-marker-count" aria-hidden="true">
        {count}
      </span>
    </button>
  );
}

/** The marker of a discussion being started, before its first message. */
export function DraftMarker(
  { x, y, sizePercent }: { x: number; y: number; sizePercent: number },
) {
  return (
    <span
      class="tack-marker tack-draft"
      data-testid="draft-marker"
      style={`left:${x}%;top:${y}%;width:${sizePercent}%`}
      aria-hidden="true"
    >
      <span class="tack-marker-count">+</span>
    </span>
  );
}
