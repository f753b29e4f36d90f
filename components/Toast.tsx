import { useEffect } from "preact/hooks";

/** How long a message stays, in milliseconds. */
const TOAST_MS = 6_000;

/**
 * A message over the widget about something that failed or went away. It
 * goes by itself after a few seconds, or when dismissed.
 */
export function Toast(
  { message, onDismiss }: { message: string; onDismiss: () => void },
) {
  useEffect(() => {
    const timer = setTimeout(onDismiss, TOAST_MS);
    return () => clearTimeout(timer);
  }, [message]);
  return (
    <div class="tack-toast" role="alert">
      {message}
      <button
        type="button"
        class="tack-icon-btn"
        aria-label="Dismiss"
        onClick={onDismiss}
      >
        ×
      </button>
    </div>
  );
}
