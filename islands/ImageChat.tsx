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
 * markers and comments appear in real time.
 */
export default function ImageChat(props: ImageChatProps) {
  const { alt = "", ...options } = props;
  return (
    <div class="tack-image-chat" data-testid="image-chat">
      <img src={props.src} alt={alt} draggable={false} />
      <ImageChatLayer {...options} />
    </div>
  );
}
