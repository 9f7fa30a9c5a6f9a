// The simulated cluster's commands: demo, lesson, node, workload. They live in the cluster bundle
// (dist/cluster/cluster.js, entry ./clusterBundle.ts), loaded only when one of them runs, so
// `crdb-studio lint` never pays for the SQL engine.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { formatLessonText, runLesson } from '../../cluster/src/lesson';
import { formatTable, nodeStatus } from '../../cluster/src/nodeStatus';
import { parseDuration } from '../../cluster/src/model/duration';
import { Simulator } from '../../cluster/src/simulator';
import { WireServer } from '../../cluster/src/wire/server';
import { checkBank, formatTick, initBank, runBank, type BankTick } from '../../cluster/src/workload/bank';

export class ClusterUsageError extends Error {
  override name = 'ClusterUsageError';
}

type Out = (text: string) => void;

const DEFAULT_URL = 'postgresql://root@127.0.0.1:26257/defaultdb?sslmode=disable';

function integer(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ClusterUsageError(`--${name} must be a whole number, not '${value}'`);
  return n;
}

/** --demo-locality=region=us-east1,az=a:region=us-west1,az=b (one entry per node), as cockroach demo takes it. */
export function parseLocalities(text: string): { region: string; zone: string }[] {
  return text.split(':').map((entry, i) => {
    const tiers = Object.fromEntries(entry.split(',').map((tier) => tier.split('=') as [string, string]));
    const region = tiers.region;
    if (!region) throw new ClusterUsageError(`--demo-locality entry ${i + 1} ('${entry}') has no region=`);
    return { region, zone: tiers.az ?? tiers.zone ?? 'a' };
  });
}

export async function demo(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      nodes: { type: 'string' },
      global: { type: 'boolean', default: false },
      port: { type: 'string' },
      seed: { type: 'string' },
      insecure: { type: 'boolean', default: true },
      'range-max-bytes': { type: 'string' },
      'demo-locality': { type: 'string' },
    },
  });
  const nodes = values.nodes === undefined ? undefined : integer(values.nodes, 'nodes', 1);
  if (values.global && values['demo-locality'] !== undefined) throw new ClusterUsageError('--global cannot be used with --demo-locality');
  const localities = values['demo-locality'] === undefined ? undefined : parseLocalities(values['demo-locality']);
  if (nodes !== undefined && (nodes < 1 || nodes > 64)) throw new ClusterUsageError('--nodes must be between 1 and 64');
  const started = performance.now();
  const simulator = await Simulator.start({
    ...(nodes !== undefined ? { nodes } : {}),
    ...(localities ? { localities } : {}),
    global: values.global,
    seed: integer(values.seed, 'seed', 1),
    time: 'real',
    ...(values['range-max-bytes'] !== undefined ? { rangeMaxBytes: integer(values['range-max-bytes'], 'range-max-bytes', 0) } : {}),
  });
  const server = await WireServer.start(simulator, { port: integer(values.port, 'port', 26257) });
  const count = simulator.model.nodes().length;
  const url = (node: number): string => `postgresql://root@127.0.0.1:${server.port(node)}/defaultdb?sslmode=disable`;
  out(
    [
      '#',
      '# Welcome to the crdb-studio simulated CockroachDB cluster!',
      '#',
      `# You are running a simulated, in-memory cluster of ${count} node${count === 1 ? '' : 's'}${values.global ? ' in 3 regions' : ''}.`,
      values.global ? '# Statements report the latencies between regions a real cluster would have.' : '#',
      '# SQL runs on an embedded PostgreSQL behind a CockroachDB translation layer; what it',
      '# does not simulate fails with a "not supported by the simulated cluster" error.',
      '#',
      '# Connection parameters:',
      `#   (sql)      ${url(1)}`,
      '#   To display connection parameters for other nodes, run \\demo ls as a statement.',
      '#',
      `# Started in ${Math.round(performance.now() - started)} ms. Press Ctrl-C to stop.`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('disconnect', stop);
  });
  await server.close();
  await simulator.close();
  return 0;
}

export async function lesson(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      nodes: { type: 'string' },
      global: { type: 'boolean', default: true },
      seed: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new ClusterUsageError('lesson needs one Markdown file');
  if (values.format !== 'text' && values.format !== 'json')
    throw new ClusterUsageError(`unknown --format '${values.format}' (expected text, json)`);
  const file = positionals[0] ?? '';
  let markdown: string;
  try {
    markdown = readFileSync(file, 'utf8');
  } catch (error) {
    process.stderr.write(`crdb-studio: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    return 2;
  }
  const nodes = values.nodes === undefined ? undefined : integer(values.nodes, 'nodes', 9);
  const simulator = await Simulator.start({
    ...(nodes !== undefined ? { nodes } : {}),
    global: values.global,
    seed: integer(values.seed, 'seed', 1),
    time: 'virtual',
  });
  try {
    const steps = await runLesson(simulator, markdown);
    if (values.format === 'json') {
      out(
        `${JSON.stringify(
          steps.map((s) => ({
            line: s.line,
            kind: s.kind,
            statement: s.statement,
            simulated: s.simulated,
            ...(s.result
              ? {
                  tag: s.result.tag,
                  columns: s.result.fields.map((f) => f.name),
                  rows: s.result.rows,
                  notices: s.result.notices.map((n) => n.message),
                  ...(s.result.latencyMs !== undefined ? { latencyMs: s.result.latencyMs } : {}),
                }
              : {}),
            ...(s.result?.error
              ? {
                  error: {
                    code: s.result.error.code,
                    message: s.result.error.message,
                    ...(s.result.error.hint ? { hint: s.result.error.hint } : {}),
                  },
                }
              : s.error
                ? { error: { message: s.error } }
                : {}),
            ...(s.output !== undefined ? { output: s.output } : {}),
          })),
          null,
          2,
        )}\n`,
      );
    } else out(formatLessonText(file, steps));
    return steps.some((s) => s.error !== undefined) ? 1 : 0;
  } finally {
    await simulator.close();
  }
}

function clientFor(url: string | undefined, host: string | undefined): Client {
  if (host !== undefined) {
    const [hostname, port] = host.split(':');
    return new Client({
      host: hostname === 'localhost' ? '127.0.0.1' : hostname,
      port: Number(port ?? 26257),
      user: 'root',
      database: 'defaultdb',
    });
  }
  return new Client({ connectionString: url ?? DEFAULT_URL });
}

async function connected<T>(client: Client, run: (client: Client) => Promise<T>): Promise<T> {
  try {
    await client.connect();
  } catch (error) {
    throw new ClusterUsageError(
      `cannot connect: ${error instanceof Error ? error.message : String(error)} (is \`crdb-studio demo\` running?)`,
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function node(args: string[], out: Out): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      ranges: { type: 'boolean', default: false },
      decommission: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      url: { type: 'string' },
      host: { type: 'string' },
      insecure: { type: 'boolean', default: false },
      'certs-dir': { type: 'string' },
      format: { type: 'string', default: 'table' },
    },
  });
  const client = clientFor(values.url, values.host);
  if (verb === 'status') {
    const table = await connected(client, (c) =>
      nodeStatus(async (sql) => (await c.query<Record<string, string | null>>(sql)).rows, {
        ranges: values.ranges,
        decommission: values.decommission,
        all: values.all,
      }),
    );
    out(
      values.format === 'json'
        ? `${JSON.stringify(
            table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i]]))),
            null,
            2,
          )}\n`
        : formatTable(table),
    );
    return 0;
  }
  if (verb === 'decommission' || verb === 'recommission') {
    if (positionals.length === 0) throw new ClusterUsageError(`node ${verb} needs node IDs`);
    for (const id of positionals) if (!/^\d+$/.test(id)) throw new ClusterUsageError(`could not parse node_id ${id}`);
    return connected(client, async (c) => {
      for (const id of positionals) {
        try {
          await c.query(`\\demo ${verb} ${id}`);
        } catch (error) {
          process.stderr.write(`ERROR: ${error instanceof Error ? error.message : String(error)}\n`);
          return 1;
        }
      }
      const table = await nodeStatus(async (sql) => (await c.query<Record<string, string | null>>(sql)).rows, { decommission: true });
      const wanted = new Set(positionals);
      const columns = ['id', 'is_live', 'replicas', 'is_decommissioning', 'membership', 'is_draining'];
      const pick = (row: string[]): string[] => {
        const cell = (name: string): string => row[table.columns.indexOf(name)] ?? '';
        return [
          cell('id'),
          cell('is_live'),
          cell('gossiped_replicas'),
          cell('is_decommissioning'),
          cell('membership'),
          cell('is_draining'),
        ];
      };
      out(formatTable({ columns, rows: table.rows.filter((r) => wanted.has(r[0] ?? '')).map(pick) }));
      if (verb === 'decommission')
        out('\nNo more data reported on target nodes. Please verify cluster health before removing the nodes.\n');
      return 0;
    });
  }
  throw new ClusterUsageError(`unknown node command '${verb ?? ''}' (expected status, decommission, recommission)`);
}

export async function workload(args: string[], out: Out): Promise<number> {
  const [name, ...rest] = args;
  if (name !== 'bank') throw new ClusterUsageError(`unknown workload '${name ?? ''}' (only bank is available)`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      duration: { type: 'string', default: '10s' },
      accounts: { type: 'string' },
      concurrency: { type: 'string' },
      init: { type: 'boolean', default: false },
    },
  });
  const durationMs = parseDuration(values.duration);
  if (durationMs === undefined) throw new ClusterUsageError(`--duration '${values.duration}' is not a duration like 10s or 1m30s`);
  const accounts = integer(values.accounts, 'accounts', 1000);
  const concurrency = Math.max(1, integer(values.concurrency, 'concurrency', 2));
  const url = positionals[0] ?? DEFAULT_URL;
  const clients = Array.from({ length: concurrency }, () => new Client({ connectionString: url }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
  } catch (error) {
    throw new ClusterUsageError(`cannot connect to ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const first = clients[0];
    if (!first) return 2;
    const exists = await first.query('SELECT count(*) FROM bank.bank').then(
      () => true,
      () => false,
    );
    if (values.init || !exists) {
      await initBank(first, { accounts });
      out(`bank: initialized ${accounts} accounts\n`);
    }
    out('_elapsed___errors__ops/sec(inst)___ops/sec(cum)\n');
    const ticks = new Map<number, BankTick>();
    const results = await Promise.all(
      clients.map((client, i) =>
        runBank(client, {
          accounts,
          durationMs,
          seed: i + 1,
          onTick: (tick) => {
            if (i !== 0) return;
            out(`${formatTick(tick, ticks.get(i))}\n`);
            ticks.set(i, tick);
          },
        }),
      ),
    );
    const transfers = results.reduce((a, r) => a + r.transfers, 0);
    const errors = results.reduce((a, r) => a + r.errors, 0);
    const retries = results.reduce((a, r) => a + r.retries, 0);
    const seconds = Math.max(...results.map((r) => r.elapsedMs)) / 1000;
    const latencies = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
    const percentile = (p: number): string => (latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(1);
    const check = await checkBank(
      first,
      results.flatMap((r) => r.acknowledged),
      { accounts },
    );
    out(
      `\n_elapsed___errors_____ops(total)___ops/sec(cum)__p50(ms)__p95(ms)__p99(ms)\n${seconds.toFixed(1).padStart(7)}s ${String(errors).padStart(8)} ${String(transfers).padStart(14)} ${(transfers / seconds).toFixed(1).padStart(14)} ${percentile(0.5).padStart(8)} ${percentile(0.95).padStart(8)} ${percentile(0.99).padStart(8)}\n`,
    );
    out(
      `retries: ${retries}; total balance ${check.total} (expected ${check.expectedTotal}); acknowledged transfers missing: ${check.missing.length}\n`,
    );
    return check.total === check.expectedTotal && check.missing.length === 0 ? 0 : 1;
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}
