/**
 * `deno task tenant:create <id> [--name N] [--origin O]… [--sso-secret S]
 * [--rotate]`: creates a tenant and prints its admin key and SSO secret. The
 * admin key is shown only now: KV keeps its hash. `--rotate` gives an
 * existing tenant (the demo included) new keys, keeping its data.
 *
 * Uses the KV store of `DENO_KV_PATH`, like the server.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { closeKv } from "../utils/db_kv.ts";
import { provisionTenant } from "../utils/db_tenants.ts";
import { parseOriginPattern } from "../utils/origins.ts";

const USAGE =
  `Usage: deno task tenant:create <id> [--name NAME] [--origin ORIGIN]... [--sso-secret SECRET] [--rotate]

  --origin      A site allowed to embed Tack and call its API, e.g.
                https://example.com, http://localhost:* (any port) or
                https://*.example.com (any subdomain). Repeat for several.
  --sso-secret  The secret your backend signs SSO payloads with
                (default: a new random one, printed below).
  --rotate      Issue new keys for a tenant that exists already.`;

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        name: { type: "string" },
        origin: { type: "string", multiple: true },
        "sso-secret": { type: "string" },
        rotate: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    const origins = values.origin?.map(parseOriginPattern);
    const { tenant, adminKey, ssoSecret } = await provisionTenant({
      id: positionals[0],
      name: values.name,
      origins,
      ssoSecret: values["sso-secret"],
      rotate: values.rotate,
    });
    console.log(`Tenant:     ${tenant.id} (${tenant.name})
Origins:    ${tenant.origins.join(" ") || "(none: only Tack's own pages)"}
Admin key:  ${adminKey}
SSO secret: ${ssoSecret}

The admin key is shown only now; Tack keeps only its hash. Send it as
"Authorization: Bearer <admin key>" to moderate. Keep both secrets on your
server.`);
    return 0;
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  } finally {
    await closeKv();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
