import type { DayRange, PeriodPreset } from "../../utils/usage.ts";

/** What the period form shows. */
export interface RangePickerProps {
  /** The dashboard's path, which the form reloads with `from` and `to`. */
  action: string;
  /** The days the page shows, which the CSV link downloads. */
  shown: DayRange;
  /**
   * A refused range as it was typed, with the reason.
   * @default none: the inputs hold the days shown
   */
  refused?: DayRange & { problem: string };
  /** Ready-made periods, offered as links. @default none */
  presets?: PeriodPreset[];
}

/**
 * The dashboard's period: two dates and a button that reload the page with
 * `?from=…&to=…` (a plain GET form, no script), and a link that downloads the
 * days shown as CSV.
 */
export function RangePicker(
  { action, shown, refused, presets = [] }: RangePickerProps,
) {
  const typed = refused ?? shown;
  const query = (range: DayRange) =>
    new URLSearchParams({ from: range.from, to: range.to }).toString();
  const csv = `${action}/usage.csv?${query(shown)}`;
  return (
    <form method="get" action={action} class="usage-period">
      {presets.length > 0 && (
        <nav class="usage-presets" aria-label="Periods">
          {presets.map((preset) => (
            <a
              key={preset.label}
              href={`${action}?${query(preset)}`}
              aria-current={preset.from === shown.from &&
                  preset.to === shown.to
                ? "true"
                : undefined}
            >
              {preset.label}
            </a>
          ))}
        </nav>
      )}
      <label>
        From{" "}
        <input
          type="date"
          name="from"
          value={typed.from}
          required
          aria-describedby={refused ? "period-error" : undefined}
        />
      </label>
      <label>
        To <input type="date" name="to" value={typed.to} required />
      </label>
      <button type="submit">Show</button>
      <a href={csv} download data-testid="usage-csv">Download CSV</a>
      {refused && (
        <p class="settings-error" role="alert" id="period-error">
          {refused.problem}
        </p>
      )}
    </form>
  );
}
