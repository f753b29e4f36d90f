import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { asset } from "$fresh/runtime.ts";
import { BusiestRooms } from "../../components/dashboard/BusiestRooms.tsx";
import { DailyChart } from "../../components/dashboard/DailyChart.tsx";
import { RangePicker } from "../../components/dashboard/RangePicker.tsx";
import { formatBytes, formatCount } from "../../components/dashboard/format.ts";
import {
  type FormProblem,
  RotatedSecretNotice,
  SettingsSection,
} from "../../components/dashboard/Settings.tsx";
import {
  applySettingsForm,
  doneMessage,
  readSettings,
  type RotatedSecret,
  type Settings,
} from "../../utils/dashboard_settings.ts";
import { getTenant } from "../../utils/db_tenants.ts";
import type { Metric } from "../../utils/metrics.ts";
import {
  requireAdminKey,
  requireOwner,
  requireSameOrigin,
} from "../../utils/owner_access.ts";
import {
  dashboardPath,
  ownerSessionCookie,
} from "../../utils/owner_session.ts";
import { ApiError } from "../../utils/validation.ts";
import {
  type DayRange,
  parseDayRange,
  periodPresets,
  readUsage,
  type UsageReport,
} from "../../utils/usage.ts";

type Page = {
  report: UsageReport;
  settings: Settings;
  flash: string | null;
  problem?: FormProblem;
  /** A refused `from`/`to`: the days as typed, and why. */
  period?: { from: string; to: string; problem: string };
};
type Data =
  | Page
  | { refused: string }
  | { rotated: { label: string; value: string } };

const NO_STORE = { "cache-control": "no-store" };

const SECRET_LABELS: Record<RotatedSecret, string> = {
  adminKey: "New admin key",
  ssoSecret: "New SSO secret",
};

async function readPage(
  tenant: string,
  flash: string | null,
  range: DayRange = parseDayRange(null, null),
) {
  const [report, settings] = await Promise.all([
    readUsage(tenant, range),
    readSettings(tenant),
  ]);
  return { report, settings: settings!, flash };
}

/** A 303 to `path`, optionally with a cookie. */
function seeOther(path: string, cookie?: string | null): Response {
  const headers = new Headers({ location: path, ...NO_STORE });
  if (cookie) headers.set("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

/**
 * `/dashboard/{tenant}`: usage and the settings, for the owner; the last 30
 * days unless `?from=&to=` (`YYYY-MM-DD`) ask for others, and a refused
 * range answers 400 with the default days and the reason. `?key=` with the
 * admin key starts an owner session (a cookie) and redirects to the URL
 * without it; the settings' forms POST here.
 */
export const handler: Handlers<Data> = {
  async GET(req, ctx) {
    const { tenant } = ctx.params;
    const record = await getTenant(tenant);
    if (!record) return ctx.renderNotFound();
    const url = new URL(req.url);
    const key = url.searchParams.get("key");
    try {
      if (key !== null) {
        await requireAdminKey(key, tenant);
        url.searchParams.delete("key");
        const cookie = await ownerSessionCookie(record, req.url);
        return seeOther(`${url.pathname}${url.search}`, cookie);
      }
      await requireOwner(req, tenant, ctx.remoteAddr);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return ctx.render({ refused: err.message }, { status: err.status });
    }
    const flash = doneMessage(url.searchParams.get("done"));
    const from = url.searchParams.get("from");
    const to = url.searchParams.get("to");
    let range: DayRange | undefined;
    let period: Page["period"];
    try {
      range = parseDayRange(from, to);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      period = { from: from ?? "", to: to ?? "", problem: err.message };
    }
    const page = { ...await readPage(tenant, flash, range), period };
    return ctx.render(page, { status: period ? 400 : 200, headers: NO_STORE });
  },

  async POST(req, ctx) {
    const { tenant } = ctx.params;
    if (!await getTenant(tenant)) return ctx.renderNotFound();
    try {
      requireSameOrigin(req);
      await requireOwner(req, tenant, ctx.remoteAddr);
      const form = await req.formData().catch(() => {
        throw new ApiError("bad_request", "Send the settings form's fields.");
      });
      const outcome = await applySettingsForm(tenant, form);
      const path = dashboardPath(tenant);
      switch (outcome.kind) {
        case "done":
          return seeOther(`${path}?done=${outcome.done}#settings`);
        case "invalid": {
          const { action, message, origins } = outcome;
          const page = await readPage(tenant, null);
          return ctx.render(
            { ...page, problem: { action, message, origins } },
            {
              status: 400,
              headers: NO_STORE,
            },
          );
        }
        case "rotated": {
          const label = SECRET_LABELS[outcome.secret];
          const headers = new Headers(NO_STORE);
          // The old key's session ended with it; the new key's starts here.
          const cookie = outcome.secret === "adminKey"
            ? await ownerSessionCookie(outcome.tenant, req.url)
            : null;
          if (cookie) headers.set("set-cookie", cookie);
          return ctx.render({ rotated: { label, value: outcome.value } }, {
            headers,
          });
        }
      }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return ctx.render({ refused: err.message }, { status: err.status });
    }
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
        {"refused" in data && (
          <p class="usage-refused">
            {data.refused} Open this page with <code>?key=</code>{" "}
            and the site's admin key.
          </p>
        )}
        {"rotated" in data && (
          <RotatedSecretNotice
            {...data.rotated}
            dashboard={dashboardPath(params.tenant)}
          />
        )}
        {"report" in data && (
          <>
            <Report
              report={data.report}
              period={data.period}
              action={dashboardPath(params.tenant)}
            />
            <SettingsSection
              settings={data.settings}
              problem={data.problem}
              flash={data.flash}
            />
          </>
        )}
      </main>
    </>
  );
}

function Report({ report, period, action }: {
  report: UsageReport;
  period?: Page["period"];
  action: string;
}) {
  return (
    <>
      <RangePicker
        action={action}
        shown={{ from: report.from, to: report.to }}
        refused={period}
        presets={periodPresets()}
      />
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
