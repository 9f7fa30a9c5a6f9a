// The client side of `cockroach …` commands: which node a connection reaches (--host, --port,
// --url, or a load balancer listening on that port), and `cockroach sql`'s output formats.
import { formatTable } from '../nodeStatus';
import type { QueryResult } from '../sql/result';
import type { Session } from '../sql/session';
import { cockroachState, normalizeAddress, sameHost, type OutputFormat } from './cockroachState';
import { failed, simulated, type Lab, type Outcome } from './lab';

/** Flag values by name (`--host=x`, `--host x`; several when repeated). */
export function flagValues(words: readonly string[], ...names: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    for (const name of names) {
      if (word === name) values.push(words[++i] ?? '');
      else if (name.startsWith('--') && word.startsWith(`${name}=`)) values.push(word.slice(name.length + 1));
      else if (!name.startsWith('--') && word.startsWith(name) && word.length > name.length) values.push(word.slice(name.length));
    }
  }
  return values;
}

export function flagValue(words: readonly string[], ...names: string[]): string | undefined {
  const values = flagValues(words, ...names);
  return values[values.length - 1];
}

export function hasFlag(words: readonly string[], name: string): boolean {
  return words.some((w) => w === name || w === `${name}=true`);
}

/** Where a client connects: host, port, database and user, from --url or --host/--port/-d/-u. */
export interface ConnectionParams {
  host: string;
  port: number;
  database: string | undefined;
  user: string;
}

export function connectionParams(words: readonly string[], url = flagValue(words, '--url')): ConnectionParams {
  if (url !== undefined && url !== '') {
    try {
      const parsed = new URL(url.replace(/^postgres(ql)?:/, 'http:'));
      return {
        host: parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost',
        port: Number(parsed.port || 26257),
        database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined,
        user: decodeURIComponent(parsed.username) || 'root',
      };
    } catch {
      // An unparsable URL connects nowhere: connectTarget reports it.
      return { host: url, port: -1, database: undefined, user: 'root' };
    }
  }
  const address = normalizeAddress(flagValue(words, '--host'));
  const port = flagValue(words, '--port', '-p');
  return {
    host: address.host,
    port: port !== undefined ? Number(port) : address.port,
    database: flagValue(words, '--database', '-d'),
    user: flagValue(words, '--user', '-u') ?? 'root',
  };
}

/** The message `cockroach` prints when nothing listens where it dials (pkg/cli clierror). */
export function cannotDial(host: string, port: number, command: string): Outcome {
  return failed(
    `ERROR: cannot dial server.\nIs the server running?\nIf the server is running, check --host client-side and --advertise server-side.\n\ndial tcp ${host === 'localhost' ? '127.0.0.1' : host}:${port}: connect: connection refused\nFailed running "${command}"`,
  );
}

/**
 * The node a connection to host:port reaches: a load balancer's choice when one listens there,
 * else the node whose SQL address it is. Nodes of the lab's own cluster have the addresses their
 * flags gave; otherwise the simulator's nodes listen where the wire server put them (or, in
 * process, at 26257, 26258, … by node id, as `cockroach demo` numbers them).
 */
export function connectTarget(lab: Lab, params: ConnectionParams, command: string): { nodeId: number } | { outcome: Outcome } {
  // A listener (load balancer, port-forward) is on this machine; another host's node address (a pod's) reaches that node.
  const remoteNode = !sameHost(params.host, 'localhost') && [...lab.cluster.addresses.values()].includes(`${params.host}:${params.port}`);
  const listener = remoteNode ? undefined : lab.listener(params.port);
  if (listener) {
    const nodeId = listener.chooseNode(lab);
    if (nodeId === undefined)
      return {
        outcome: failed(
          `ERROR: server closed the connection.\n(${listener.name} on port ${params.port} has no live backend)\nFailed running "${command}"`,
        ),
      };
    return checkServing(lab, nodeId, params, command);
  }
  const state = cockroachState(lab);
  if (state.ownCluster) {
    const node = state.nodes.find((n) => {
      const sql = normalizeAddress(n.sql);
      return sql.port === params.port && sameHost(sql.host, params.host);
    });
    if (!node?.running) return { outcome: cannotDial(params.host, params.port, command) };
    if (node.id === undefined)
      return {
        outcome: failed(
          `ERROR: server is not accepting clients yet: node at ${node.sql} is waiting for \`cockroach init\`\nFailed running "${command}"`,
        ),
      };
    return checkServing(lab, node.id, params, command);
  }
  for (const [nodeId, address] of lab.cluster.addresses) {
    const at = normalizeAddress(address);
    if (at.port === params.port && sameHost(at.host, params.host)) return checkServing(lab, nodeId, params, command);
  }
  // The simulator's own nodes also answer at the ports `cockroach demo` numbers them by (26257 for
  // n1, …), wherever a wire server put them: lessons written for demo dial those.
  const byPort = params.port - 26256;
  if (sameHost(params.host, 'localhost') && lab.cluster.model.node(byPort)) return checkServing(lab, byPort, params, command);
  return { outcome: cannotDial(params.host, params.port, command) };
}

function checkServing(lab: Lab, nodeId: number, params: ConnectionParams, command: string): { nodeId: number } | { outcome: Outcome } {
  const node = lab.cluster.model.node(nodeId);
  if (!node || node.liveness === 'dead' || node.liveness === 'decommissioned' || !node.running)
    return { outcome: cannotDial(params.host, params.port, command) };
  return { nodeId };
}

// ---- output ----------------------------------------------------------------------------------------

const NUMERIC_OIDS = new Set([20, 21, 23, 26, 700, 701, 1700]);

/** One result as `cockroach sql` prints it in the given format (pkg/cli/clisqlexec). */
export function formatResult(result: QueryResult, format: OutputFormat): string {
  if (result.fields.length === 0) return result.tag;
  const columns = result.fields.map((f) => f.name);
  const rows = result.rows.map((r) => r.map((v) => v ?? 'NULL'));
  switch (format) {
    case 'csv':
      return [columns, ...rows].map((r) => r.map(csvField).join(',')).join('\n');
    case 'tsv':
    case 'raw':
      return [columns, ...rows].map((r) => r.map((v) => (/[\t\n"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join('\t')).join('\n');
    case 'records': {
      if (rows.length === 0) return '(0 rows)';
      const width = Math.max(...columns.map((c) => c.length));
      return rows
        .map((row, i) => [`-[ RECORD ${i + 1} ]`, ...columns.map((c, j) => `${c.padEnd(width)} | ${row[j] ?? ''}`)].join('\n'))
        .join('\n');
    }
    default:
      return formatTable({
        columns,
        rows,
        align: result.fields.map((f) => (NUMERIC_OIDS.has(f.typeOid) ? 'r' : 'l')).join(''),
      }).replace(/\n$/, '');
  }
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** An error as `cockroach sql` prints it: ERROR, SQLSTATE, then DETAIL and HINT. */
export function formatError(error: NonNullable<QueryResult['error']>): string {
  const lines = [`ERROR: ${error.message}`, `SQLSTATE: ${error.code}`];
  if (error.detail) lines.push(`DETAIL: ${error.detail}`);
  if (error.hint) lines.push(`HINT: ${error.hint}`);
  return lines.join('\n');
}

export function outputFormat(words: readonly string[]): OutputFormat {
  const format = flagValue(words, '--format');
  return format === 'csv' || format === 'tsv' || format === 'records' || format === 'raw' || format === 'sql' || format === 'html'
    ? format
    : 'table';
}

/**
 * Runs statements on a session as `cockroach sql` does: each result printed, stopping at the
 * first error (its text and exit status 1). A gateway that died meanwhile loses the connection.
 */
export async function runStatements(
  lab: Lab,
  session: Session,
  statements: readonly string[],
  format: OutputFormat,
  command: string,
): Promise<Outcome> {
  const out: string[] = [];
  for (const statement of statements) {
    const node = lab.cluster.model.node(session.nodeId);
    if (!node?.running)
      return failed(
        `ERROR: server closed the connection.\nIs this a CockroachDB node?\nunexpected EOF\nFailed running "${command}"`,
        1,
        out.join('\n'),
      );
    const results = await session.execute(statement);
    for (const result of results) {
      for (const notice of result.notices) out.push(`${notice.severity}: ${notice.message}`);
      if (result.error) return failed(`${formatError(result.error)}\nFailed running "${command}"`, 1, out.join('\n'));
      out.push(formatResult(result, format));
    }
  }
  return simulated(out.join('\n'));
}
