/** One metric over the days of a report. */
export interface DailyChartProps {
  title: string;
  /** Values oldest first, one per day. */
  points: { day: string; value: number }[];
  /** Formats a value for labels. */
  format: (value: number) => string;
  /**
   * The headline figure.
   * @default the sum of the points
   */
  total?: number;
}

const WIDTH = 640;
const HEIGHT = 160;
const PAD = { top: 12, right: 8, bottom: 22, left: 8 };

/**
 * A bar chart of a metric per day, drawn as SVG on the server. Each bar
 * carries its day and value in a `<title>`, which browsers show on hover.
 */
export function DailyChart(
  { title, points, format, total }: DailyChartProps,
) {
  total ??= points.reduce((sum, p) => sum + p.value, 0);
  const max = Math.max(0, ...points.map((p) => p.value));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, points.length);
  const barW = Math.max(1, slot * 0.75);
  return (
    <figure class="usage-chart" data-metric={title}>
      <figcaption>
        <span>{title}</span>
        <strong data-total={total}>{format(total)}</strong>
      </figcaption>
      {max === 0 ? <p class="usage-empty">No data in this period.</p> : (
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-label={`${title} per day`}
        >
          <line
            x1={PAD.left}
            x2={WIDTH - PAD.right}
            y1={HEIGHT - PAD.bottom}
            y2={HEIGHT - PAD.bottom}
            stroke="currentColor"
            stroke-opacity="0.3"
          />
          {points.map((p, i) => {
            const h = (p.value / max) * plotH;
            return (
              <rect
                key={p.day}
                x={PAD.left + i * slot + (slot - barW) / 2}
                y={HEIGHT - PAD.bottom - h}
                width={barW}
                height={h}
                class="usage-bar"
              >
                <title>{`${p.day}: ${format(p.value)}`}</title>
              </rect>
            );
          })}
          <text x={PAD.left} y={HEIGHT - 6} class="usage-axis">
            {points[0]?.day}
          </text>
          <text
            x={WIDTH - PAD.right}
            y={HEIGHT - 6}
            text-anchor="end"
            class="usage-axis"
          >
            {points.at(-1)?.day}
          </text>
          <text x={PAD.left} y={PAD.top} class="usage-axis">
            {`max ${format(max)}`}
          </text>
        </svg>
      )}
    </figure>
  );
}
