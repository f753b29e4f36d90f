/**
 * What a viewer needs only to start, read or write a discussion: its window,
 * the window that starts one (with Image Chat's marker mover and the
 * preview of its spot on phones), and Collab
 * Chat's "Start discussion" prompt, passage windows and orphans.
 * Layers import this module lazily, through {@linkcode chatWindows} in
 * `windows_loader.ts`.
 *
 * @module
 */

export { DraftWindow, RoomChatWindow } from "./RoomWindows.tsx";
export { MarkerMover } from "./MarkerMover.tsx";
export { SpotPreview } from "./SpotPreview.tsx";
export { SelectionPrompt } from "./SelectionPrompt.tsx";
export { PassageChatWindow, PassageDraftWindow } from "./Passage.tsx";
export { OrphansPanel } from "./OrphansPanel.tsx";
