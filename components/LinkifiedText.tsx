import { linkify } from "../utils/linkify.ts";

/**
 * User text, rendered as text: http(s) links become anchors that open in a
 * new tab and carry no ranking weight; nothing is ever parsed as HTML.
 */
export function LinkifiedText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        part.kind === "link"
          ? (
            <a
              key={i}
              href={part.href}
              rel="nofollow ugc noopener"
              target="_blank"
            >
              {part.text}
            </a>
          )
          : part.text
      )}
    </>
  );
}
