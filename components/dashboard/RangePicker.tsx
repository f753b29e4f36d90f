import type { DayRange } from "../../utils/usage.ts";

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
}

/**
 * The dashboard's period: two dates and a button that reload the page with
 * `?from=…&to=…` (a plain GET form, no script), and a link that downloads the
 * days shown as CSV.
 */
export function RangePicker({ action, shown, refused }: RangePickerProps) {
  const typed = refused ?? shown;
  const csv = `${action}/usage.csv?${new URLSearchParams({ ...shown })}`;
  return (
    <form method="get" action={action} class="usage-period">
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
