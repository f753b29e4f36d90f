/**
 * Server environment for tests that open many sockets or make many writes
 * from one address: the per-IP and per-identity limits raised out of reach.
 *
 * @module
 */

/** Abuse limits no test of scale reaches. */
export const UNLIMITED: Record<string, string> = {
  TACK_RATE_WRITES: "1000000",
  TACK_RATE_HANDSHAKES: "1000000",
  TACK_MAX_SOCKETS_PER_IP: "1000000",
};
