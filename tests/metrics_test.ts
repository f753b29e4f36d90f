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
