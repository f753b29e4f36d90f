import assert from "node:assert/strict";
import { type ChartSeries, lineChartSvg } from "./chart.ts";

const LABELS = { title: "p99", xLabel: "writes/s", yLabel: "p99 ms" };

/**
 * Checks that `svg` is one well-formed XML element tree rooted at `<svg>`:
 * every tag closed in order, attributes quoted, text without a bare `<` or an
 * unescaped `&`. Returns the elements' names in document order.
 */
function assertWellFormedSvg(svg: string): string[] {
  const token =
    /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>|([^<]+)/y;
  const stack: string[] = [];
  const elements: string[] = [];
  let roots = 0;
  let at = 0;
  const body = svg.trimEnd();
  while (at < body.length) {
    token.lastIndex = at;
    const match = token.exec(body);
    assert.ok(match, `not well-formed at ${at}: ${body.slice(at, at + 60)}`);
    at = token.lastIndex;
    const [, closing, name, , selfClosing, text] = match;
    if (text !== undefined) {
      assert.ok(
        !/&(?!(?:amp|lt|gt|quot|apos|#\d+);)/.test(text),
        `unescaped & in ${JSON.stringify(text)}`,
      );
      if (stack.length === 0) {
        assert.equal(text.trim(), "", "text outside root");
      }
      continue;
    }
    if (closing) {
      assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
      continue;
    }
    if (stack.length === 0) roots++;
    elements.push(name);
    if (!selfClosing) stack.push(name);
  }
  assert.deepEqual(stack, [], "unclosed elements");
  assert.equal(roots, 1, "one root element");
  assert.equal(elements[0], "svg");
  return elements;
}

function assertFinite(svg: string) {
  for (const bad of ["NaN", "Infinity", "undefined", "null"]) {
    assert.ok(!svg.includes(bad), `${bad} in the SVG`);
  }
}

/** The numeric value of `attribute` on every `<name …>` element. */
function attributeValues(svg: string, name: string, attribute: string) {
  return [...svg.matchAll(new RegExp(`<${name}\\b[^>]*>`, "g"))].map((tag) => {
    const value = tag[0].match(new RegExp(`\\s${attribute}="([^"]*)"`));
    assert.ok(value, `${attribute} on ${tag[0]}`);
    return Number(value[1]);
  });
}

const SERIES: ChartSeries[] = [
  {
    label: "Ceiling",
    color: "#777777",
    points: [[10, 1.5], [50, 4], [200, 900]],
  },
  { label: "Tack & co <1>", color: "#d9480f", points: [[10, 2], [200, 30]] },
  { label: "Socket.IO", color: "#2f6fde", points: [[10, 3], [200, 1_300]] },
];

Deno.test("lineChartSvg: a well-formed SVG with one line and legend per series", () => {
  const svg = lineChartSvg(SERIES, {
    title: "p99 <one room> & more",
    xLabel: "offered writes per second",
    yLabel: "p99 latency",
  });
  const elements = assertWellFormedSvg(svg);
  assertFinite(svg);
  assert.equal(elements.filter((e) => e === "path").length, 3);
  assert.equal(elements.filter((e) => e === "circle").length, 7);
  // Labels, escaped.
  assert.ok(svg.includes(">Ceiling<"));
  assert.ok(svg.includes(">Tack &amp; co &lt;1&gt;<"));
  assert.ok(svg.includes(">Socket.IO<"));
  assert.ok(svg.includes("p99 &lt;one room&gt; &amp; more"));
  assert.ok(svg.includes(">offered writes per second<"));
  assert.ok(svg.includes(">p99 latency<"));
  // Each series is drawn in its colour, in order.
  const strokes = [...svg.matchAll(/<path d="M[^"]+" [^>]*stroke="([^"]+)"/g)]
    .map((m) => m[1]);
  assert.deepEqual(strokes, SERIES.map((s) => s.color));
});

Deno.test("lineChartSvg: log-scale gridlines on whole decades, ticks at the data's x", () => {
  const svg = lineChartSvg(SERIES, LABELS);
  // 1.5 ms … 1.3 s: from 1 ms up to 10 s.
  for (const label of [">1 ms<", ">10 ms<", ">100 ms<", ">1 s<", ">10 s<"]) {
    assert.ok(svg.includes(label), label);
  }
  assert.ok(!svg.includes(">0.1 ms<"));
  assert.ok(!svg.includes(">100 s<"));
  for (const x of [10, 50, 200]) assert.ok(svg.includes(`>${x}</text>`));
});

Deno.test("lineChartSvg: larger values are drawn higher, and x grows rightwards", () => {
  const svg = lineChartSvg([
    { label: "A", color: "#000", points: [[10, 1], [20, 10], [40, 100]] },
  ], LABELS);
  const cx = attributeValues(svg, "circle", "cx");
  const cy = attributeValues(svg, "circle", "cy");
  assert.ok(cx[0] < cx[1] && cx[1] < cx[2]);
  assert.ok(cy[0] > cy[1] && cy[1] > cy[2]); // SVG y grows downwards
  // Log scale: equal ratios, equal distances.
  assert.ok(Math.abs((cy[0] - cy[1]) - (cy[1] - cy[2])) < 0.2);
});

Deno.test("lineChartSvg: 0 is drawn at the floor of the log scale", () => {
  const svg = lineChartSvg([
    { label: "A", color: "#000", points: [[10, 0], [20, 5]] },
  ], LABELS);
  assertWellFormedSvg(svg);
  assertFinite(svg);
  const [zero, five] = attributeValues(svg, "circle", "cy");
  const gridlines = [...svg.matchAll(/<line [^>]*stroke="#ddd"\/>/g)].map(
    (m) => Number(m[0].match(/y1="([^"]+)"/)![1]),
  );
  assert.equal(zero, Math.max(...gridlines)); // the lowest gridline
  assert.ok(five < zero);
});

Deno.test("lineChartSvg: a single point", () => {
  const svg = lineChartSvg(
    [{ label: "Only", color: "#123456", points: [[100, 7]] }],
    LABELS,
  );
  const elements = assertWellFormedSvg(svg);
  assertFinite(svg);
  assert.equal(elements.filter((e) => e === "circle").length, 1);
  assert.match(svg, /<path d="M[\d.]+,[\d.]+" /);
  assert.ok(svg.includes(">Only<"));
  assert.ok(svg.includes(">100</text>"));
});

Deno.test("lineChartSvg: a single point at x = 0", () => {
  const svg = lineChartSvg(
    [{ label: "Zero", color: "#123456", points: [[0, 0.5]] }],
    LABELS,
  );
  assertWellFormedSvg(svg);
  assertFinite(svg);
  assert.ok(svg.includes(">0.1 ms<")); // the decade below 0.5 ms
});

Deno.test("lineChartSvg: empty series and no series", () => {
  for (
    const series of [
      [],
      [{ label: "Empty", color: "#000", points: [] }],
      [
        { label: "Empty", color: "#000", points: [] },
        { label: "Zeros", color: "#111", points: [[10, 0], [20, 0]] },
      ],
    ] as ChartSeries[][]
  ) {
    const svg = lineChartSvg(series, LABELS);
    const elements = assertWellFormedSvg(svg);
    assertFinite(svg);
    assert.equal(
      elements.filter((e) => e === "path").length,
      series.length,
    );
    for (const { label } of series) assert.ok(svg.includes(`>${label}<`));
  }
});

Deno.test("lineChartSvg: an infinite value does not stretch the axis without end", () => {
  const svg = lineChartSvg(
    [{ label: "odd", color: "#123456", points: [[10, 2], [20, Infinity]] }],
    { title: "p99", xLabel: "writes/s", yLabel: "ms" },
  );
  assert.ok(svg.startsWith("<svg"));
  assert.ok(svg.length < 20_000, `${svg.length} characters`);
});
