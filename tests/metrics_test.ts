import assert from "node:assert/strict";
import type { UsageReport } from "../utils/usage.ts";
import { UNLIMITED } from "./_limits.ts";
import { signedInClient } from "./_api.ts";
import { startServer } from "./_server.ts";
import { closeAll, connectMany } from "./_ws_client.ts";

const TENANT = "demo";
const VIEWERS = 3;

async function usage(url: string): Promise<UsageReport> {
  const res = await fetch(`${url}/api/v1/${TENANT}/usage`);
  assert.equal(res.status, 200);
  return await res.json();
}

/** The figure a dashboard chart shows as its total, by its title. */
function chartTotal(html: string, title: string): number {
  const match = new RegExp(
    `data-metric="${title}"[^]*?data-total="(\\d+)"`,
  ).exec(html);
  assert.ok(match, `no chart "${title}"`);
  return Number(match[1]);
}

Deno.test("usage and the dashboard count exactly what clients received", async () => {
  const server = await startServer({ env: UNLIMITED });
  const urlId = `metrics <${crypto.randomUUID()}>`;
  try {
    const clients = await connectMany(VIEWERS, {
      baseUrl: server.url,
      tenant: TENANT,
      urlId,
    });
    const api = await signedInClient(server.url, TENANT, "Ada");
    const { chat } = await api.createImageChat({
      urlId,
      src: "/sample.jpg",
      x: 5,
      y: 5,
      text: "Résumé 😀",
      broadcastId: crypto.randomUUID(),
    });
    for (let i = 0; i < 3; i++) {
      await api.addComment(chat.id, {
        text: `reply ${i} ✓`,
        parentId: null,
        broadcastId: crypto.randomUUID(),
      });
    }
    for (const client of clients) await client.waitForEvents(4);
    await closeAll(clients);

    const encoder = new TextEncoder();
    const frames = clients.flatMap((c) => c.rawFrames);
    const received = {
      messages: clients.reduce((sum, c) => sum + c.messages.length, 0),
      bytes: frames.reduce((sum, f) => sum + encoder.encode(f).length, 0),
    };
    // Counts reach KV on the meter's next flush, about a second later.
    let report = await usage(server.url);
    for (let i = 0; i < 50; i++) {
      const { pubSubMessageCount, peakViewers } = report.totals;
      if (pubSubMessageCount >= received.messages && peakViewers > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
      report = await usage(server.url);
    }
    assert.equal(report.totals.pubSubMessageCount, received.messages);
    assert.equal(report.totals.pubSubBandwidth, received.bytes);
    assert.equal(report.totals.conversationCreateCount, 1);
    assert.equal(report.totals.commentCount, 4);
    assert.equal(report.totals.peakViewers, VIEWERS);
    assert.deepEqual(report.busiestRooms, [{
      urlId,
      pubSubMessageCount: received.messages,
      pubSubBandwidth: received.bytes,
    }]);
    assert.equal(report.days.length, 30);

    const res = await fetch(`${server.url}/dashboard/${TENANT}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.equal(chartTotal(html, "Messages delivered"), received.messages);
    assert.equal(chartTotal(html, "Bandwidth"), received.bytes);
    assert.equal(chartTotal(html, "Peak viewers"), VIEWERS);
    // The room id is shown as text, never as markup.
    const id = urlId.slice("metrics <".length, -1);
    assert.match(html, new RegExp(`>metrics &lt;${id}(>|&gt;)</td>`));
    assert.ok(!html.includes(urlId));
    assert.match(html, new RegExp(`data-messages="${received.messages}"`));
  } finally {
    await server.stop();
  }
});

Deno.test("usage needs the admin key off this machine and checks its dates", async () => {
  const server = await startServer({ env: { TACK_TENANTS: "acme" } });
  try {
    const refused = await fetch(`${server.url}/api/v1/acme/usage`);
    assert.equal(refused.status, 401);
    await refused.body?.cancel();
    const page = await fetch(`${server.url}/dashboard/acme`);
    assert.equal(page.status, 401);
    await page.body?.cancel();
    const csv = await fetch(`${server.url}/dashboard/acme/usage.csv`);
    assert.equal(csv.status, 401);
    assert.match(await csv.text(), /admin key/);
    const unknown = await fetch(`${server.url}/dashboard/nobody/usage.csv`);
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
    const forged = await fetch(
      `${server.url}/api/v1/acme/usage?key=tack_admin_forged`,
    );
    assert.equal(forged.status, 401);
    await forged.body?.cancel();
    for (
      const query of [
        "from=2025-02-30",
        "from=2025-03-02&to=2025-03-01",
        "from=2024-01-01&to=2025-06-01",
      ]
    ) {
      const res = await fetch(`${server.url}/api/v1/${TENANT}/usage?${query}`);
      assert.equal(res.status, 400, query);
      await res.body?.cancel();
    }
  } finally {
    await server.stop();
  }
});

const DAY_MS = 86_400_000;

/** The dashboard's CSV link in `html`, as a URL on `base`. */
function csvLink(html: string, base: string): URL {
  const link = /<a href="([^"]*)" download data-testid="usage-csv"/.exec(html);
  const href = link?.[1];
  assert.ok(href, "the page links its CSV");
  return new URL(href.replaceAll("&amp;", "&"), base);
}

Deno.test("the dashboard shows a chosen period and downloads it as CSV", async () => {
  const server = await startServer({ env: UNLIMITED });
  try {
    const api = await signedInClient(server.url, TENANT, "Ada");
    await api.createImageChat({
      urlId: `csv-${crypto.randomUUID()}`,
      src: "/sample.jpg",
      x: 50,
      y: 50,
      text: "First",
      broadcastId: crypto.randomUUID(),
    });
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 6 * DAY_MS).toISOString().slice(0, 10);

    const res = await fetch(
      `${server.url}/dashboard/${TENANT}?from=${from}&to=${today}`,
    );
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(html.includes(`${from} to ${today} (UTC)`));
    assert.match(html, new RegExp(`name="from"[^>]*value="${from}"`));
    // The ready-made "Last 7 days" is this period, and says so.
    assert.match(
      html,
      new RegExp(
        `<a href="/dashboard/${TENANT}\\?from=${from}&amp;to=${today}" aria-current="true">Last 7 days</a>`,
      ),
    );
    assert.match(html, />Last month</);
    const link = csvLink(html, server.url);
    assert.equal(link.pathname, `/dashboard/${TENANT}/usage.csv`);
    assert.equal(link.searchParams.get("from"), from);
    assert.equal(link.searchParams.get("to"), today);

    // Counts reach KV on the meter's next flush, about a second later.
    let rows: string[][] = [];
    for (let i = 0; i < 50; i++) {
      const csv = await fetch(link);
      assert.equal(csv.status, 200);
      assert.equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
      assert.equal(
        csv.headers.get("content-disposition"),
        `attachment; filename="tack-usage-${TENANT}-${from}-to-${today}.csv"`,
      );
      const text = await csv.text();
      assert.ok(text.endsWith("\r\n"));
      rows = text.slice(0, -2).split("\r\n").map((line) => line.split(","));
      if (rows.at(-1)?.[4] === "1") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(rows[0], [
      "day",
      "pubSubMessageCount",
      "pubSubBandwidth",
      "conversationCreateCount",
      "commentCount",
      "peakViewers",
    ]);
    assert.equal(rows.length, 1 + 7);
    assert.equal(rows[1][0], from);
    const [day, , , conversations, comments] = rows.at(-1)!;
    assert.deepEqual([day, conversations, comments], [today, "1", "1"]);
  } finally {
    await server.stop();
  }
});

Deno.test("a refused period shows why beside the dates, with the last 30 days", async () => {
  const server = await startServer();
  try {
    const query = "from=2025-03-02&to=2025-03-01";
    const res = await fetch(`${server.url}/dashboard/${TENANT}?${query}`);
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(
      html,
      /role="alert" id="period-error">&quot;from&quot; must not be after &quot;to&quot;\./,
    );
    assert.match(html, /name="from"[^>]*value="2025-03-02"/);
    const today = new Date().toISOString().slice(0, 10);
    assert.ok(html.includes(` to ${today} (UTC)`), "the default days");
    // The link downloads what is shown, not what was refused.
    assert.equal(csvLink(html, server.url).searchParams.get("to"), today);

    const csv = await fetch(
      `${server.url}/dashboard/${TENANT}/usage.csv?${query}`,
    );
    assert.equal(csv.status, 400);
    assert.equal(csv.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(await csv.text(), `"from" must not be after "to".\n`);
  } finally {
    await server.stop();
  }
});
