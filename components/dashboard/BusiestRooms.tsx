import type { RoomUsage } from "../../utils/usage.ts";

/** The rooms that took the most messages, as a table. */
export function BusiestRooms(
  { rooms, formatBytes }: {
    rooms: RoomUsage[];
    formatBytes: (bytes: number) => string;
  },
) {
  if (rooms.length === 0) {
    return <p class="usage-empty">No room traffic in this period.</p>;
  }
  return (
    <table class="usage-rooms">
      <thead>
        <tr>
          <th scope="col">Room</th>
          <th scope="col">Messages</th>
          <th scope="col">Bandwidth</th>
        </tr>
      </thead>
      <tbody>
        {rooms.map((room) => (
          <tr key={room.urlId}>
            {/* Room ids come from pages; JSX escapes them as text. */}
            <td class="usage-room-id">{room.urlId}</td>
            <td data-messages={room.pubSubMessageCount}>
              {room.pubSubMessageCount.toLocaleString("en-US")}
            </td>
            <td data-bytes={room.pubSubBandwidth}>
              {formatBytes(room.pubSubBandwidth)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
