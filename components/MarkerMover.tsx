/** Props of {@linkcode MarkerMover}. */
export interface MarkerMoverProps {
  /** Where the marker is now, in words (`describeSpot` in `spot.ts`). */
  where: string;
  /**
   * Moves the marker for an arrow key, `big` with Shift; false for a key that
   * does not move it.
   */
  onNudge: (key: string, big: boolean) => boolean;
}

/**
 * Moves the marker of a discussion being started with the arrow keys (Shift
 * for bigger steps), so that a keyboard can place it anywhere, not only
 * where "Add a comment" put it. A pointer places it by clicking the image.
 */
export function MarkerMover({ where, onNudge }: MarkerMoverProps) {
  return (
    <p class="tack-mover">
      <button
        type="button"
        class="tack-btn tack-mover-button"
        data-testid="move-marker"
        title="Arrow keys move the marker; Shift moves it further"
        aria-label={`Move the marker with the arrow keys, Shift for bigger steps. Now ${where}.`}
        onKeyDown={(event) => {
          if (onNudge(event.key, event.shiftKey)) event.preventDefault();
        }}
      >
        Move marker
      </button>
      <span class="tack-mover-spot" aria-live="polite">{where}</span>
    </p>
  );
}
