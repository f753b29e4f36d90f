/**
 * Light or dark: decides whether a widget sits on a dark background by
 * reading the page's computed background colours.
 *
 * @module
 */

/** Parses `rgb()` / `rgba()` as `getComputedStyle` reports them. */
export function parseRgb(
  color: string,
): { r: number; g: number; b: number; a: number } | null {
  const match = color.match(
    /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/i,
  );
  if (!match) return null;
  const alpha = match[4] === undefined
    ? 1
    : match[4].endsWith("%")
    ? parseFloat(match[4]) / 100
    : parseFloat(match[4]);
  return { r: +match[1], g: +match[2], b: +match[3], a: alpha };
}

/**
 * The relative luminance of an sRGB colour, 0 (black) to 1 (white), as WCAG
 * defines it.
 *
 * @example
 * ```ts
 * luminance({ r: 255, g: 255, b: 255 }); // 1
 * ```
 */
export function luminance({ r, g, b }: { r: number; g: number; b: number }) {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * True when the first opaque background among `colors` (innermost element
 * first) is dark; null when every one is transparent.
 */
export function isDarkBackground(colors: Iterable<string>): boolean | null {
  for (const color of colors) {
    const rgb = parseRgb(color);
    if (rgb && rgb.a >= 0.5) return luminance(rgb) < 0.18;
  }
  return null;
}

/**
 * Detects a dark page behind `element` from the computed backgrounds of it
 * and its ancestors; falls back to the reader's colour-scheme preference.
 */
export function detectDarkBackground(element: Element): boolean {
  function* backgrounds() {
    for (let el: Element | null = element; el; el = el.parentElement) {
      yield getComputedStyle(el).backgroundColor;
    }
  }
  return isDarkBackground(backgrounds()) ??
    (globalThis.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false);
}
