/**
 * The chat window, the composer and the floating window they sit in: what a
 * viewer needs only to read or write a discussion. Layers import this module
 * lazily, through {@linkcode chatWindows} in `windows_loader.ts`.
 *
 * @module
 */

export { ChatWindow } from "./ChatWindow.tsx";
export { Composer } from "./Composer.tsx";
export { FloatingWindow } from "./FloatingWindow.tsx";
