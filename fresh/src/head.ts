/**
 * `<Head>`: pages and components hand elements to the document's `<head>`.
 * During a server render the renderer provides a list through
 * {@linkcode HEAD_CONTEXT}; the children are collected and placed in the head.
 *
 * @module
 */
import { type ComponentChildren, createContext } from "preact";
import { useContext } from "preact/hooks";

/** Props of {@linkcode Head}. */
export interface HeadProps {
  children: ComponentChildren;
}

/** The list the current server render collects head elements into. */
export const HEAD_CONTEXT = createContext<ComponentChildren[] | null>(null);

/**
 * Moves its children into the document `<head>`. A `<title>` replaces the
 * one from `_app.tsx`. Server only: in the browser it renders nothing.
 *
 * @example
 * ```tsx
 * <Head><title>Tack</title></Head>
 * ```
 */
export function Head(props: HeadProps): null {
  useContext(HEAD_CONTEXT)?.push(props.children);
  return null;
}
