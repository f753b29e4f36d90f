import type { LiveStatus } from "../utils/live_room.ts";
import { CountPill, ReconnectingPill, UserCount } from "./RoomStatus.tsx";

/** Props of {@linkcode TopBar}. */
export interface TopBarProps {
  /** People viewing the page now. */
  users: number;
  /** Discussions on the page. */
  chats: number;
  status: LiveStatus;
}

/** Collab Chat's bar: live viewers and the number of discussions. */
export function TopBar({ users, chats, status }: TopBarProps) {
  return (
    <div class="tack tack-top-bar" data-testid="top-bar" role="status">
      <UserCount count={users} />
      <CountPill
        count={chats}
        label={`${chats} ${chats === 1 ? "discussion" : "discussions"}`}
        testId="chat-count"
        icon={
          <path
            d="M4 4.5h12a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H9l-4 3v-3H4a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1Z"
            fill="none"
            stroke="currentColor"
            stroke-width="1.5"
            stroke-linejoin="round"
          />
        }
      />
      <ReconnectingPill status={status} />
      <span class="tack-top-bar-hint">Select text to start a discussion</span>
    </div>
  );
}
