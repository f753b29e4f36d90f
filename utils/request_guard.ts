/**
 * The checks every API request of a tenant passes before its route runs:
 * the browser's `Origin` on writes and WebSocket handshakes (against the
 * tenant's list, so that another site cannot act for its visitors), and the
 * per-IP rate limits. The per-identity write limit and the per-IP socket cap
 * are applied where the identity and the socket are known.
 *
 * @module
 */

import type { Tenant } from "./db_tenants.ts";
import { isOriginAllowed } from "./origins.ts";
import { ApiError } from "./validation.ts";
import {
  type AbuseLimits,
  abuseLimits,
  ConnectionCounter,
  TokenBuckets,
} from "./rate_limit.ts";

/** What the guard needs to know of a request. */
export interface GuardedRequest {
  method: string;
  /** The request URL, for its own origin. */
  url: string;
  /** The `Origin` header, or null when the client sent none. */
  origin: string | null;
  /** True for a WebSocket handshake. */
  upgrade: boolean;
  /** The client's IP address. */
  ip: string;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * True when a request that changes something may come from `origin`: no
 * Origin at all (not a browser, so it proves itself with a token), Tack's
 * own pages, or a site the tenant lists.
 *
 * @example
 * ```ts
 * originMayWrite("https://blog.example", "https://tack.example/api/v1/t/x", tenant);
 * ```
 */
export function originMayWrite(
  origin: string | null,
  requestUrl: string,
  tenant: Pick<Tenant, "origins">,
): boolean {
  if (origin === null) return true;
  // Compared by host: behind a TLS proxy the server may see http:// itself.
  const ownHost = new URL(requestUrl).host;
  try {
    if (origin !== "null" && new URL(origin).host === ownHost) return true;
  } catch {
    return false;
  }
  return isOriginAllowed(origin, tenant.origins);
}

/** One isolate's limits on API requests. */
export class RequestGuard {
  readonly limits: AbuseLimits;
  #writesByIp: TokenBuckets;
  #writesByIdentity: TokenBuckets;
  #handshakesByIp: TokenBuckets;
  #sockets: ConnectionCounter;

  constructor(limits: AbuseLimits = abuseLimits()) {
    this.limits = limits;
    this.#writesByIp = new TokenBuckets(limits.writes);
    this.#writesByIdentity = new TokenBuckets(limits.writes);
    this.#handshakesByIp = new TokenBuckets(limits.handshakes);
    this.#sockets = new ConnectionCounter(limits.socketsPerIp);
  }

  /**
   * Refuses a write or handshake from an origin the tenant does not list
   * (403 `forbidden`), and one over its per-IP rate (429 `rate_limited`).
   * Reads pass.
   *
   * @example
   * ```ts
   * requestGuard.check({ method: req.method, url: req.url, origin,
   *   upgrade: false, ip: "203.0.113.7" }, tenant);
   * ```
   */
  check(request: GuardedRequest, tenant: Tenant): void {
    const writes = !SAFE_METHODS.has(request.method);
    if (!writes && !request.upgrade) return;
    if (!originMayWrite(request.origin, request.url, tenant)) {
      throw new ApiError(
        "forbidden",
        `This site (${request.origin}) may not use Tack for "${tenant.id}".`,
        "origin",
      );
    }
    if (request.upgrade) {
      this.#handshakesByIp.check(
        request.ip,
        "Too many connections opened from your network; wait a moment.",
      );
    } else {
      this.#writesByIp.check(
        request.ip,
        "Too many changes from your network; wait a moment.",
      );
    }
  }

  /**
   * Refuses a write over the per-identity rate (429 `rate_limited`).
   *
   * @example
   * ```ts
   * requestGuard.checkWriter("demo", author.id);
   * ```
   */
  checkWriter(tenant: string, userId: string): void {
    this.#writesByIdentity.check(
      `${tenant}\n${userId}`,
      "You are making changes too quickly; wait a moment.",
    );
  }

  /**
   * Counts an open socket of an IP, refusing one over the cap (429); call
   * the returned function when the socket closes.
   *
   * @example
   * ```ts
   * const release = requestGuard.acquireSocket(ip);
   * socket.addEventListener("close", release);
   * ```
   */
  acquireSocket(ip: string): () => void {
    return this.#sockets.acquire(ip);
  }
}

/** This isolate's guard, configured from the environment. */
export const requestGuard: RequestGuard = new RequestGuard();

/**
 * The client's IP address from Fresh's `ctx.remoteAddr`.
 *
 * @example
 * ```ts
 * const ip = clientIp(ctx.remoteAddr); // "127.0.0.1"
 * ```
 */
export function clientIp(addr: Deno.Addr): string {
  return "hostname" in addr ? addr.hostname : "local";
}
