import type { LiveStatus } from "../utils/live_room.ts";

/** The live viewer count, for a corner of a widget. */
export function UserCount({ count }: { count: number }) {
  const label = `${count} ${count === 1 ? "person" : "people"} viewing now`;
  return (
    <span class="tack-pill tack-user-count" title={label}>
      <svg viewBox="0 0 20 20" width="14" height="14" aria-hidden="true">
        <path
          d="M10 4.5c-4 0-6.8 3.2-7.8 5.5 1 2.3 3.8 5.5 7.8 5.5s6.8-3.2 7.8-5.5c-1-2.3-3.8-5.5-7.8-5.5Z"
          fill="none"
          stroke="currentColor"
          stroke-width="1.5"
        />
        <circle cx="10" cy="10" r="2.5" fill="currentColor" />
      </svg>
      <span data-testid="user-count" aria-label={label}>{count}</span>
    </span>
  );
}

/** The notice shown while offline or while the server is unreachable. */
export function OfflineNotice({ status }: { status: LiveStatus }) {
  if (status === "offline") {
    return (
      <div class="tack-notice tack-offline" role="status" data-testid="offline">
        <strong>You're offline.</strong>{" "}
        Discussions may be out of date, and new comments can't be sent until the
        connection is back.
      </div>
    );
  }
  return null;
}

/** A small "reconnecting" state while the live connection is being restored. */
export function ReconnectingPill({ status }: { status: LiveStatus }) {
  if (status === "reconnecting") {
    return (
      <span class="tack-pill tack-reconnecting" role="status">
        <span class="tack-spinner" aria-hidden="true" /> Reconnecting…
      </span>
    );
  }
  return null;
}
