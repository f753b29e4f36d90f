import { type ComponentChildren, render } from "preact";
import { useLayoutEffect, useState } from "preact/hooks";

/**
 * Renders `children` at the end of `host`, an element elsewhere on the page,
 * in a wrapper of its own so the host's other content is left alone. (A
 * small stand-in for `preact/compat`'s `createPortal`, which would bring all
 * of compat along.) Context does not cross into the portal.
 */
export function Portal(
  { host, children }: { host: Element; children: ComponentChildren },
) {
  const [wrapper] = useState(() => {
    const el = document.createElement("div");
    el.style.display = "contents";
    return el;
  });
  useLayoutEffect(() => {
    host.append(wrapper);
    return () => {
      render(null, wrapper);
      wrapper.remove();
    };
  }, [host]);
  useLayoutEffect(() => render(children, wrapper));
  return null;
}
