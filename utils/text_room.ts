/**
 * What a Collab Chat page needs from the store before it renders: the room's
 * text chats and the seq they reflect, so the first paint shows the counts
 * and the live client resumes from that seq.
 *
 * @module
 */

import { getRoomSnapshot } from "./db.ts";
import { isImageChat, type TextChat } from "./protocol.ts";

/** The text chats of a document and the seq they reflect. */
export interface TextRoomSnapshot {
  seq: number;
  chats: TextChat[];
}

/**
 * Reads the text chats of a room (image chats of the same room are left out).
 *
 * @example
 * ```ts
 * const { seq, chats } = await loadTextRoom("demo", "demo-text");
 * ```
 */
export async function loadTextRoom(
  tenant: string,
  urlId: string,
): Promise<TextRoomSnapshot> {
  const { seq, chats } = await getRoomSnapshot(tenant, urlId);
  return {
    seq,
    chats: chats.filter((chat): chat is TextChat => !isImageChat(chat)),
  };
}
