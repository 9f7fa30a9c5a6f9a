// The simulated HAProxy: a listener that hands each new connection to the next of its servers in
// round-robin order, skipping the servers its health checks have marked down. A check runs every
// `inter` (2 s); a server is marked down after `fall` (3) failed checks in a row and up again after
// `rise` (2) good ones — so for a few seconds after a node dies connections still go to it and fail,
// as they do in front of a real cluster. Backup servers take connections only when no other is up.
import type { HaproxyListener, HaproxyServer } from './haproxy';

/** What a server's health check sees now, and since when it has seen it. */
export interface CheckResult {
  passing: boolean;
  /** Simulated ms since which the check has given this result. */
  since: number;
}

/** Answers a server's health check (the host resolves its address to a node and asks the node). */
export type HealthProbe = (server: HaproxyServer, now: number) => CheckResult;

export type Route = { server: HaproxyServer } | { error: string };

export class LoadBalancer {
  private cursor = 0;

  constructor(
    readonly listener: HaproxyListener,
    /** Simulated ms when HAProxy started: servers start UP and need `fall` failed checks to go down. */
    readonly startedAt: number,
  ) {}

  /** Whether HAProxy has the server marked UP at `now`. */
  isUp(server: HaproxyServer, now: number, probe: HealthProbe): boolean {
    if (!server.check) return true;
    const result = probe(server, now);
    const heldFor = now - Math.max(result.since, this.startedAt);
    if (result.passing) return result.since <= this.startedAt || heldFor >= server.rise * server.interMs;
    return heldFor < server.fall * server.interMs;
  }

  /** The server the next connection goes to, in round-robin order over the servers marked UP. */
  route(now: number, probe: HealthProbe): Route {
    const servers = this.listener.servers;
    if (servers.length === 0) return { error: `proxy '${this.listener.proxy}' has no server available!` };
    const up = servers.map((server) => this.isUp(server, now, probe));
    const active = servers.some((server, i) => !server.backup && up[i] === true);
    for (let step = 0; step < servers.length; step++) {
      const index = (this.cursor + step) % servers.length;
      const server = servers[index];
      if (server === undefined || up[index] !== true || server.backup === active) continue;
      this.cursor = index + 1;
      return { server };
    }
    return { error: `proxy '${this.listener.proxy}' has no server available!` };
  }

  /** Each server and whether it is marked UP (what HAProxy's stats page shows). */
  status(now: number, probe: HealthProbe): { server: HaproxyServer; up: boolean }[] {
    return this.listener.servers.map((server) => ({ server, up: this.isUp(server, now, probe) }));
  }
}
