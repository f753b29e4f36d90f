/** Props of {@linkcode SpotPreview}. */
export interface SpotPreviewProps {
  /** The image the discussion is on. */
  src: string;
  /** The spot, in percent of the image's width and height. */
  x: number;
  y: number;
}

/** How many times the preview's width the image is drawn. */
const ZOOM = 3;

/**
 * The image around a discussion's spot, zoomed in, with a ring on the spot.
 * On phones, where the window covers the whole screen (or, in an iframe
 * embed, sits below an image that may be scrolled away), it keeps in view
 * what the discussion is about, as a text chat's window quotes its passage;
 * on wider screens the window sits beside the marker and this stays hidden.
 */
export function SpotPreview({ src, x, y }: SpotPreviewProps) {
  // The preview shows 1/ZOOM of the image's width: near a side it stops at
  // the image's edge and the ring moves off centre, rather than show blank.
  const half = 50 / ZOOM;
  const centre = Math.min(100 - half, Math.max(half, x));
  return (
    <div class="tack-spot" data-testid="spot-preview" aria-hidden="true">
      <img
        src={src}
        alt=""
        style={`width:${ZOOM * 100}%;transform:translate(-${centre}%,-${y}%)`}
      />
      <span
        class="tack-spot-ring"
        style={`left:calc(50% + ${(x - centre) * ZOOM}%)`}
      />
    </div>
  );
}
