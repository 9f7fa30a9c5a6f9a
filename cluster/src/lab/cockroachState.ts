// What the lab remembers about the cockroach processes it started: each node's flags and
// addresses, whether the cluster was initialized, and the open `cockroach sql` prompt.
import type { NodeLocality } from '../../../sql/src/locality';
import type { Session } from '../sql/session';
import type { Lab } from './lab';

/** A node the lab started with `cockroach start` (or start-single-node). */
export interface LabNode {
  /** The model's node id once the node is part of the cluster (after init, or joining one). */
  id: number | undefined;
  store: string;
  /** host:port of the RPC listener (--listen-addr), and of SQL clients (--sql-addr, else the same). */
  listen: string;
  sql: string;
  http: string;
  advertise: string;
  locality: NodeLocality;
  /** The locality as written on the command line (`region=…,zone=…`). */
  localityText: string;
  join: string[];
  pid: number;
  running: boolean;
  insecure: boolean;
}

/** The interactive `cockroach sql` (or demo) the terminal is typing into. */
export interface SqlPrompt {
  session: Session;
  nodeId: number;
  format: OutputFormat;
}

export type OutputFormat = 'table' | 'csv' | 'tsv' | 'records' | 'raw' | 'sql' | 'html';

export class CockroachState {
  /** Nodes started by the lab, in start order. */
  readonly nodes: LabNode[] = [];
  /** The lab replaced the cluster with its own (its first `cockroach start`/demo). */
  ownCluster = false;
  initialized = false;
  prompt: SqlPrompt | undefined;

  nodeById(id: number): LabNode | undefined {
    return this.nodes.find((n) => n.id === id);
  }
}

export function cockroachState(lab: Lab): CockroachState {
  return lab.extension('cockroach', () => new CockroachState());
}

/** host:port with CockroachDB's defaults (host localhost, port 26257). */
export function normalizeAddress(address: string | undefined, defaultPort = 26257): { host: string; port: number } {
  const text = (address ?? '').trim();
  if (text === '') return { host: 'localhost', port: defaultPort };
  const bracket = /^\[([^\]]*)\](?::(\d+))?$/.exec(text);
  if (bracket) return { host: bracket[1] ?? 'localhost', port: Number(bracket[2] ?? defaultPort) };
  const colon = text.lastIndexOf(':');
  if (colon === -1) return { host: text, port: defaultPort };
  return { host: text.slice(0, colon) || 'localhost', port: Number(text.slice(colon + 1)) || defaultPort };
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '0.0.0.0', '']);

/** Whether two hosts name the same machine as far as the lab is concerned (one terminal, one machine, unless named otherwise). */
export function sameHost(a: string, b: string): boolean {
  if (a === b) return true;
  return LOCAL_HOSTS.has(a) && LOCAL_HOSTS.has(b);
}
