import type { ComponentChildren } from "preact";
import type { LiveStatus } from "../utils/live_room.ts";

/** A small pill: an icon, a number, and a label for screen readers. */
export function CountPill(
  { count, label, testId, icon }: {
    count: number;
    label: string;
    testId: string;
    icon: ComponentChildren;
  },
) {
  return (
    <span class={`tack-pill tack-${testId}`} title={label}>
      <svg viewBox="0 0 20 20" width="14" height="14" aria-hidden="true">
        {icon}
      </svg>
      <span data-testid={testId} aria-label={label}>{count}</span>
    </span>
  );
}

/** The live viewer count, for a corner of a widget. */
export function UserCount({ count }: { count: number }) {
  return (
    <CountPill
      count={count}
      label={`${count} ${count === 1 ? "person" : "people"} viewing now`}
      testId="user-count"
      icon={
        <>
          <path
            d="M10 4.5c-4 0-6.8 3.2-7.8 5.5 1 2.3 3.8 5.5 7.8 5.5s6.8-3.2 7.8-5.5c-1-2.3-3.8-5.5-7.8-5.5Z"
            fill="none"
            stroke="currentColor"
            stroke-width="1.5"
          />
          <circle cx="10" cy="10" r="2.5" fill="currentColor" />
        </>
      }
    />
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
