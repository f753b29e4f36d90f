import { useEffect, useRef, useState } from "preact/hooks";
import {
  ImageChatLayer,
  type ImageChatOptions,
} from "../components/ImageChatLayer.tsx";

/** Props of the Image Chat island. */
export interface ImageChatProps extends ImageChatOptions {
  /** Alternative text of the image. @default "" */
  alt?: string;
}

/**
 * Image Chat: an image with live discussion markers. Viewers click anywhere
 * on the image to start a discussion; everyone viewing the same `urlId` sees
 * markers and comments appear in real time. An image that fails to load is
 * reported in words instead of leaving an empty box to click on.
 */
export default function ImageChat(props: ImageChatProps) {
  const { alt = "", ...options } = props;
  const image = useRef<HTMLImageElement>(null);
  const [broken, setBroken] = useState(false);
  // The image may have failed before the island hydrated, with no handler
  // attached yet to hear it: loading it again fires `load` or `error` now.
  // (A zero width alone is no proof, as an SVG may have no size of its own.)
  useEffect(() => {
    const el = image.current;
    if (el?.complete && el.naturalWidth === 0) el.src = props.src;
  }, []);
  return (
    <div class="tack-image-chat" data-testid="image-chat">
      <img
        ref={image}
        src={props.src}
        alt={alt}
        draggable={false}
        hidden={broken}
        onError={() => setBroken(true)}
      />
      {broken
        ? (
          <p class="tack tack-error tack-image-error" role="alert">
            The image could not be loaded, so its discussions cannot be shown.
          </p>
        )
        : <ImageChatLayer {...options} />}
    </div>
  );
}
