import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { asset } from "$fresh/runtime.ts";
import { BusiestRooms } from "../../components/dashboard/BusiestRooms.tsx";
import { DailyChart } from "../../components/dashboard/DailyChart.tsx";
import { formatBytes, formatCount } from "../../components/dashboard/format.ts";
import { getTenant } from "../../utils/db_tenants.ts";
import type { Metric } from "../../utils/metrics.ts";
import { requireOwner } from "../../utils/owner_access.ts";
import { ApiError } from "../../utils/protocol.ts";
import {
  parseDayRange,
  readUsage,
  type UsageReport,
} from "../../utils/usage.ts";

type Data = { report: UsageReport } | { refused: string };

/** `/dashboard/{tenant}`: the last 30 days of usage, for the admin key. */
export const handler: Handlers<Data> = {
  async GET(req, ctx) {
    const { tenant } = ctx.params;
    if (!await getTenant(tenant)) return ctx.renderNotFound();
    try {
      await requireOwner(req, tenant, ctx.remoteAddr);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return ctx.render({ refused: err.message }, { status: err.status });
    }
    const report = await readUsage(tenant, parseDayRange(null, null));
    return ctx.render({ report }, {
      headers: { "cache-control": "no-store" },
    });
  },
};

const CHARTS: { metric: Metric; title: string; bytes?: boolean }[] = [
  { metric: "pubSubMessageCount", title: "Messages delivered" },
  { metric: "pubSubBandwidth", title: "Bandwidth", bytes: true },
  { metric: "conversationCreateCount", title: "Conversations started" },
  { metric: "commentCount", title: "Comments" },
  { metric: "peakViewers", title: "Peak viewers" },
];

export default function Dashboard({ data, params }: PageProps<Data>) {
  return (
    <>
      <Head>
        <title>{`Usage of ${params.tenant} · Tack`}</title>
        <link rel="stylesheet" href={asset("/dashboard.css")} />
      </Head>
      <main class="usage">
        <h1>Usage of {params.tenant}</h1>
        {"refused" in data
          ? (
            <p class="usage-refused">
              {data.refused} Open this page with <code>?key=</code>{" "}
              and the site's admin key.
            </p>
          )
          : <Report report={data.report} />}
      </main>
    </>
  );
}

function Report({ report }: { report: UsageReport }) {
  return (
    <>
      <p class="usage-range">
        {report.from} to {report.to} (UTC)
      </p>
      <div class="usage-charts">
        {CHARTS.map(({ metric, title, bytes }) => (
          <DailyChart
            key={metric}
            title={title}
            points={report.days.map((d) => ({ day: d.day, value: d[metric] }))}
            format={bytes ? formatBytes : formatCount}
            total={metric === "peakViewers"
              ? report.totals.peakViewers
              : undefined}
          />
        ))}
      </div>
      <h2>Busiest rooms</h2>
      <BusiestRooms rooms={report.busiestRooms} formatBytes={formatBytes} />
    </>
  );
}
