/**
 * A hand-written SVG line chart: p99 latency (log scale) against offered
 * load, one line per server. No chart library: the SVG is a few paths.
 *
 * @module
 */

/** One line of the chart. */
export interface ChartSeries {
  label: string;
  color: string;
  /** `[x, y]` points; y must be > 0 for the log scale (0 is drawn at the floor). */
  points: [number, number][];
}

/** Texts around the chart. */
export interface ChartLabels {
  title: string;
  xLabel: string;
  yLabel: string;
}

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { top: 48, right: 210, bottom: 56, left: 72 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(
    />/g,
    "&gt;",
  );
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * Renders the series as an SVG document.
 *
 * @example
 * ```ts
 * const svg = lineChartSvg(
 *   [{ label: "Tack", color: "#d33", points: [[10, 1.2], [200, 4.5]] }],
 *   { title: "p99", xLabel: "writes/s", yLabel: "p99" },
 * );
 * ```
 */
export function lineChartSvg(
  series: ChartSeries[],
  labels: ChartLabels,
): string {
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  // Only positive, finite values can set a logarithmic axis's decades.
  const ys = series.flatMap((s) => s.points.map(([, y]) => y)).filter((y) =>
    y > 0 && Number.isFinite(y)
  );
  const xMax = Math.max(1, ...xs);
  // Whole decades around the data, so gridlines fall on 1, 10, 100 ms…
  const yMinExp = Math.floor(Math.log10(Math.min(1, ...ys)));
  const yMaxExp = Math.max(
    yMinExp + 1,
    Math.ceil(Math.log10(Math.max(...ys, 10))),
  );
  const x = (value: number) => MARGIN.left + (value / xMax) * PLOT_W;
  const y = (value: number) => {
    const exp = Math.log10(Math.max(value, 10 ** yMinExp));
    return MARGIN.top + PLOT_H -
      ((exp - yMinExp) / (yMaxExp - yMinExp)) * PLOT_H;
  };

  const parts: string[] = [];
  for (let exp = yMinExp; exp <= yMaxExp; exp++) {
    const gy = y(10 ** exp).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${
        MARGIN.left + PLOT_W
      }" y1="${gy}" y2="${gy}" stroke="#ddd"/>`,
      `<text x="${
        MARGIN.left - 8
      }" y="${gy}" text-anchor="end" dominant-baseline="middle">${
        formatMs(10 ** exp)
      }</text>`,
    );
  }
  const xTicks = [...new Set(xs)].sort((a, b) => a - b);
  for (const tick of xTicks) {
    const gx = x(tick).toFixed(1);
    parts.push(
      `<line x1="${gx}" x2="${gx}" y1="${MARGIN.top + PLOT_H}" y2="${
        MARGIN.top + PLOT_H + 5
      }" stroke="#333"/>`,
      `<text x="${gx}" y="${
        MARGIN.top + PLOT_H + 20
      }" text-anchor="middle">${tick}</text>`,
    );
  }
  series.forEach((s, i) => {
    const path = s.points.map(([px, py], j) =>
      `${j === 0 ? "M" : "L"}${x(px).toFixed(1)},${y(py).toFixed(1)}`
    ).join(" ");
    parts.push(
      `<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`,
      ...s.points.map(([px, py]) =>
        `<circle cx="${x(px).toFixed(1)}" cy="${
          y(py).toFixed(1)
        }" r="3" fill="${s.color}"/>`
      ),
    );
    const ly = MARGIN.top + 10 + i * 22;
    const lx = MARGIN.left + PLOT_W + 16;
    parts.push(
      `<line x1="${lx}" x2="${
        lx + 20
      }" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`,
      `<text x="${lx + 26}" y="${ly}" dominant-baseline="middle">${
        escapeXml(s.label)
      }</text>`,
    );
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15" font-weight="bold">${
      escapeXml(labels.title)
    }</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#333"/>`,
    ...parts,
    `<text x="${MARGIN.left + PLOT_W / 2}" y="${
      HEIGHT - 14
    }" text-anchor="middle">${escapeXml(labels.xLabel)}</text>`,
    `<text transform="translate(18 ${
      MARGIN.top + PLOT_H / 2
    }) rotate(-90)" text-anchor="middle">${escapeXml(labels.yLabel)}</text>`,
    `</svg>`,
    "",
  ].join("\n");
}
