import { useEffect, useState } from "preact/hooks";
import type { RefObject } from "preact";
import type { Rect } from "../utils/placement.ts";
import {
  type SettledSelection,
  useSettledSelection,
} from "../utils/use_settled_selection.ts";

/** Props of {@linkcode SelectionPrompt}. */
export interface SelectionPromptProps {
  /** The element whose text readers select. */
  root: RefObject<HTMLElement>;
  /**
   * Quiet time after a selection changes before the prompt appears; touch
   * devices show it at once.
   * @default 500
   */
  delayMs?: number;
  /** Hide the prompt, e.g. while a discussion is being started. */
  hidden: boolean;
  /** The on-screen box of a passage. */
  getRect: (selection: SettledSelection) => Rect | null;
  /** The reader pressed the prompt to discuss `selection`. */
  onStart: (selection: SettledSelection) => void;
}

/**
 * Follows the reader's selection in `root` and, once it settles, offers to
 * start a discussion on it. Collab Chat loads it when a reader first selects
 * something or points at the content.
 */
export function SelectionPrompt(props: SelectionPromptProps) {
  const [selection, clear] = useSettledSelection(props.root, {
    delayMs: props.delayMs,
  });
  if (!selection || props.hidden) return null;
  return (
    <StartButton
      getRect={() => props.getRect(selection)}
      onStart={() => {
        props.onStart(selection);
        clear();
      }}
    />
  );
}

/** The "Start discussion" button, just below the end of the selection. */
function StartButton(
  { getRect, onStart }: { getRect: () => Rect | null; onStart: () => void },
) {
  // Follow the passage when the page scrolls or resizes.
  const [, setLayoutTick] = useState(0);
  useEffect(() => {
    const relayout = () => setLayoutTick((n) => n + 1);
    addEventListener("scroll", relayout, { capture: true, passive: true });
    addEventListener("resize", relayout);
    return () => {
      removeEventListener("scroll", relayout, { capture: true });
      removeEventListener("resize", relayout);
    };
  }, []);
  const rect = getRect();
  if (!rect) return null;
  const left = Math.max(
    8,
    Math.min(rect.left + rect.width / 2, innerWidth - 8),
  );
  const top = rect.top + rect.height + 8;
  return (
    <button
      type="button"
      class="tack-pill tack-start-discussion"
      data-testid="start-discussion"
      style={`left:${left}px;top:${top}px`}
      // Keep the reader's selection while the button is pressed.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onStart}
    >
      Start discussion
    </button>
  );
}
