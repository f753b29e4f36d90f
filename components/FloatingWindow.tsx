import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import { placeBeside, type Placement, type Rect } from "../utils/placement.ts";
import { isTouchScreen } from "../utils/touch.ts";

/** Props of {@linkcode FloatingWindow}. */
export interface FloatingWindowProps {
  /** The on-screen box of what the window belongs to; null centres it. */
  getAnchorRect: () => Rect | null;
  /** Accessible name of the dialog. */
  label: string;
  onClose: () => void;
  /** Width on wide screens, in pixels (fullscreen under 768 px). @default 300 */
  width?: number;
  /**
   * Where focus goes when the window closes, e.g. the marker of its
   * discussion, which may not have existed when it opened. Without one, or
   * when it finds nothing, focus goes back to what had it before.
   */
  returnFocus?: () => HTMLElement | null;
  /** The test hook. */
  testId?: string;
  class?: string;
  children: ComponentChildren;
}

/**
 * A non-modal dialog floating beside its anchor and kept inside the
 * viewport. Escape closes it; it takes focus when it opens (its first text
 * box, else itself, and itself on touch screens) and gives it back when it
 * closes with focus inside it.
 */
export function FloatingWindow(props: FloatingWindowProps) {
  const { width = 300 } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [placement, setPlacement] = useState<Placement | null>(null);
  // The props of the last render, for the cleanup that runs on close.
  const latest = useRef(props);
  latest.current = props;

  useLayoutEffect(() => {
    const place = () => {
      const el = ref.current;
      if (!el) return;
      const viewport = { width: innerWidth, height: innerHeight };
      const size = { width, height: el.offsetHeight };
      const anchor = props.getAnchorRect() ?? {
        left: viewport.width / 2,
        top: viewport.height / 3,
        width: 0,
        height: 0,
      };
      setPlacement(placeBeside(anchor, size, viewport));
    };
    place();
    const observer = new ResizeObserver(place);
    if (ref.current) observer.observe(ref.current);
    addEventListener("resize", place);
    addEventListener("scroll", place, { capture: true, passive: true });
    return () => {
      observer.disconnect();
      removeEventListener("resize", place);
      removeEventListener("scroll", place, { capture: true });
    };
  }, [props.getAnchorRect, width]);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) props.onClose();
    };
    document.addEventListener("keydown", onKey);
    const el = ref.current;
    return () => {
      document.removeEventListener("keydown", onKey);
      // Focus the viewer has since put elsewhere on the page stays there.
      const active = document.activeElement;
      if (active && active !== document.body && !el?.contains(active)) return;
      // After the render that closes the window: it may also remove what
      // focus would go back to, e.g. the marker of a deleted discussion.
      queueMicrotask(() => {
        const back = latest.current.returnFocus?.() ??
          (previous?.isConnected ? previous : null);
        back?.focus({ preventScroll: true });
      });
    };
  }, []);

  // Focus moves in once the window is placed: a hidden one cannot take it.
  // On touch screens the window itself takes it, so that opening a
  // discussion to read it does not bring up the keyboard.
  const placed = placement !== null;
  useEffect(() => {
    const el = ref.current;
    if (!placed || !el) return;
    const textBox = isTouchScreen()
      ? null
      : el.querySelector<HTMLElement>("textarea:not([disabled])");
    (textBox ?? el).focus({ preventScroll: true });
  }, [placed]);

  const style = placement
    ? `--tack-left:${placement.left}px;--tack-top:${placement.top}px;--tack-width:${width}px`
    : `--tack-width:${width}px;visibility:hidden`;
  return (
    <div
      ref={ref}
      role="dialog"
      aria-label={props.label}
      tabIndex={-1}
      class={`tack-window ${props.class ?? ""}`}
      data-side={placement?.side}
      data-testid={props.testId}
      style={style}
    >
      {props.children}
    </div>
  );
}
