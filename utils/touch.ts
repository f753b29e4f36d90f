/**
 * Whether the viewer's main pointer is a finger: there, a window opened to
 * read should not bring up the keyboard, and Enter in a text box is the
 * keyboard's new-line key rather than "send".
 *
 * @module
 */

/**
 * True on touch screens (`(pointer: coarse)`), false elsewhere and on the
 * server.
 *
 * @example
 * ```ts
 * if (!isTouchScreen()) textarea.focus();
 * ```
 */
export function isTouchScreen(): boolean {
  return globalThis.matchMedia?.("(pointer: coarse)").matches ?? false;
}
