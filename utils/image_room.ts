/**
 * What an Image Chat page needs from the store before it renders: the room's
 * markers and the seq they reflect, so the first paint shows them and the
 * live client resumes from that seq.
 *
 * @module
 */

import { getRoomSnapshot } from "./db.ts";
import { type ImageChat, isImageChat } from "./protocol.ts";

/** The markers of an image and the seq they reflect. */
export interface ImageRoomSnapshot {
  seq: number;
  chats: ImageChat[];
}

/**
 * Reads the image chats of a room (text chats of the same room are left out).
 *
 * @example
 * ```ts
 * const { seq, chats } = await loadImageRoom("demo", "demo-image");
 * ```
 */
export async function loadImageRoom(
  tenant: string,
  urlId: string,
): Promise<ImageRoomSnapshot> {
  const { seq, chats } = await getRoomSnapshot(tenant, urlId);
  return { seq, chats: chats.filter(isImageChat) };
}
