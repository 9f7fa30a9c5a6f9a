// The simulated cluster's commands: demo, lesson, node, workload. They live in the cluster bundle
// (dist/cluster/cluster.js, entry ./clusterBundle.ts), loaded only when one of them runs, so
// `crdb-studio lint` never pays for the SQL engine.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { formatLessonText, runLesson } from '../../cluster/src/lesson';
import { checkLesson, formatLessonCheck } from '../../cluster/src/lessonCheck';
import { formatLogicReport } from '../../cluster/src/logictest/report';
import { runLogicFile, type LogicReport } from '../../cluster/src/logictest/runner';
import { formatTable, nodeStatus } from '../../cluster/src/nodeStatus';
import { parseDuration } from '../../cluster/src/model/duration';
import { Simulator } from '../../cluster/src/simulator';
import { WireServer } from '../../cluster/src/wire/server';
import {
  BankConnectionLost,
  checkBank,
  formatTick,
  initBank,
  runBank,
  type BankResult,
  type BankTick,
} from '../../cluster/src/workload/bank';

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
  // cockroach demo spells the opposite of --global as --global=false; --no-global says the same.
  const spelled = args.map((arg) => {
    if (!arg.startsWith('--global=')) return arg;
    const value = arg.slice('--global='.length).toLowerCase();
    if (value === 'true') return '--global';
    if (value === 'false') return '--no-global';
    throw new ClusterUsageError(`--global takes true or false, not '${arg.slice('--global='.length)}'`);
  });
  const { values } = parseArgs({
    args: spelled,
    allowNegative: true,
    options: {
      nodes: { type: 'string' },
      global: { type: 'boolean', default: false },
      port: { type: 'string' },
      seed: { type: 'string' },
      insecure: { type: 'boolean', default: true },
      'range-max-bytes': { type: 'string' },
      'demo-locality': { type: 'string' },
      store: { type: 'string' },
    },
  });
  if (values.store === '') throw new ClusterUsageError('--store needs a directory');
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
    ...(values.store !== undefined ? { store: values.store } : {}),
  });
  const server = await WireServer.start(simulator, { port: integer(values.port, 'port', 26257) });
  const count = simulator.model.nodes().length;
  const url = (node: number): string => `postgresql://root@127.0.0.1:${server.port(node)}/defaultdb?sslmode=disable`;
  out(
    [
      '#',
      '# Welcome to the crdb-studio simulated CockroachDB cluster!',
      '#',
      `# You are running a simulated, ${values.store === undefined ? 'in-memory' : 'stored'} cluster of ${count} node${count === 1 ? '' : 's'}${values.global ? ' in 3 regions' : ''}.`,
      values.store === undefined
        ? '# Its data is lost when it stops (--store <dir> keeps it).'
        : `# Its data, schema and topology are kept in ${values.store}.`,
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
      check: { type: 'boolean', default: false },
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
    if (values.check) {
      // Each step against the output the lesson prints after it; 1 when any differs.
      const check = checkLesson(markdown, steps);
      out(values.format === 'json' ? `${JSON.stringify(check, null, 2)}\n` : formatLessonCheck(file, check));
      return check.steps.some((s) => s.verdict === 'differs') ? 1 : 0;
    }
    if (values.format === 'json') {
      out(
        `${JSON.stringify(
          steps.map((s) => ({
            line: s.line,
            kind: s.kind,
            statement: s.statement,
            simulated: s.simulated,
            ...(s.host ? { host: true } : {}),
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
      'dry-run': { type: 'boolean', default: false },
      checks: { type: 'string' },
      wait: { type: 'string' },
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
    // The cluster runs `cockroach node decommission|recommission` itself (its pre-check, replicas
    // moved before the node is marked decommissioned), through the node this client reached.
    return connected(client, async (c) => {
      try {
        const flags = [
          ...(values['dry-run'] ? ['--dry-run'] : []),
          ...(values.checks !== undefined ? [`--checks=${values.checks}`] : []),
          ...(values.wait !== undefined ? [`--wait=${values.wait}`] : []),
        ];
        const words = [...positionals, ...flags].map((w) => shellQuote(w)).join(' ');
        const result = await c.query<{ output: string }>(`\\! cockroach node ${verb} ${words}`);
        out(result.rows.map((r) => `${r.output}\n`).join(''));
        return 0;
      } catch (error) {
        const detail = (error as { detail?: unknown }).detail;
        if (typeof detail === 'string') out(`${detail.replace(/\n?exit status \d+$/, '')}\n`);
        process.stderr.write(`${message(error)}\n`);
        return 1;
      }
    });
  }
  throw new ClusterUsageError(`unknown node command '${verb ?? ''}' (expected status, decommission, recommission)`);
}

/** A word as a POSIX shell reads it back unchanged. */
function shellQuote(word: string): string {
  return /^[\w.=,:/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A connection URL as printed: its password, if any, replaced by ****. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '****';
    return parsed.toString();
  } catch {
    // Not a URL the WHATWG parser reads: hide whatever sits between user: and @.
    const at = url.indexOf('@');
    const colon = url.indexOf(':', url.indexOf('//') + 2);
    return at !== -1 && colon !== -1 && colon < at ? `${url.slice(0, colon + 1)}****${url.slice(at)}` : url;
  }
}

/** How long the workload keeps trying to reconnect after losing its connection, at most. */
const RECONNECT_MS = 30_000;
const RECONNECT_PAUSE_MS = 500;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A connected client, trying again until `deadline` (performance.now() time); undefined if none.
 * Errors the socket raises later are the queries' to report: without a listener, pg's 'error'
 * event would end the process.
 */
async function connectUntil(url: string, deadline: number, lastError: { error?: unknown }): Promise<Client | undefined> {
  for (;;) {
    const client = new Client({ connectionString: url });
    client.on('error', (error) => {
      lastError.error = error;
    });
    try {
      await client.connect();
      return client;
    } catch (error) {
      lastError.error = error;
      await client.end().catch(() => undefined);
    }
    if (performance.now() + RECONNECT_PAUSE_MS >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_PAUSE_MS));
  }
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
  const shown = redactUrl(url);
  const lastError: { error?: unknown } = {};
  const clients: Client[] = [];
  const endAll = (): Promise<unknown> => Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  for (let i = 0; i < concurrency; i++) {
    const client = await connectUntil(url, 0, lastError);
    if (!client) {
      await endAll();
      throw new ClusterUsageError(`cannot connect to ${shown}: ${message(lastError.error)}`);
    }
    clients.push(client);
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
    const started = performance.now();
    const ends = started + durationMs;
    const totals: BankResult[] = clients.map(() => ({
      elapsedMs: 0,
      transfers: 0,
      errors: 0,
      retries: 0,
      acknowledged: [],
      latenciesMs: [],
    }));
    const add = (into: BankResult, from: BankResult): void => {
      into.transfers += from.transfers;
      into.errors += from.errors;
      into.retries += from.retries;
      into.acknowledged.push(...from.acknowledged);
      into.latenciesMs.push(...from.latenciesMs);
    };
    // One outage is said once, whichever worker notices it first; the run gives up when it
    // cannot reconnect within RECONNECT_MS (or before the run's duration ends).
    const outage: { since?: number; gaveUp: boolean } = { gaveUp: false };
    const lost = (error: BankConnectionLost): number => {
      if (outage.since === undefined) {
        outage.since = performance.now();
        process.stderr.write(
          `crdb-studio: lost the connection to ${shown} (${error.message}); reconnecting for up to ${RECONNECT_MS / 1000}s\n`,
        );
      }
      return outage.since;
    };
    const reconnected = (): void => {
      if (outage.since === undefined) return;
      process.stderr.write(`crdb-studio: reconnected to ${shown}\n`);
      delete outage.since;
    };
    let previous: BankTick | undefined;
    const work = async (i: number): Promise<void> => {
      let client: Client | undefined = clients[i];
      for (let round = 0; client && !outage.gaveUp && performance.now() < ends; round++) {
        try {
          add(
            totals[i] as BankResult,
            await runBank(client, {
              accounts,
              durationMs: ends - performance.now(),
              seed: i + 1 + round * concurrency,
              onTick: (tick) => {
                if (i !== 0) return;
                const before = totals[0] as BankResult;
                const now: BankTick = {
                  transfers: before.transfers + tick.transfers,
                  errors: before.errors + tick.errors,
                  retries: before.retries + tick.retries,
                  elapsedMs: performance.now() - started,
                };
                out(`${formatTick(now, previous)}\n`);
                previous = now;
              },
            }),
          );
          return;
        } catch (error) {
          if (!(error instanceof BankConnectionLost)) throw error;
          add(totals[i] as BankResult, error.result);
          lastError.error = error.cause;
          await client.end().catch(() => undefined);
          client = await connectUntil(url, Math.min(ends, lost(error) + RECONNECT_MS), lastError);
          if (client) {
            clients[i] = client;
            reconnected();
          } else if (performance.now() < ends) outage.gaveUp = true;
        }
      }
    };
    await Promise.all(clients.map((_, i) => work(i)));
    const transfers = totals.reduce((a, r) => a + r.transfers, 0);
    const errors = totals.reduce((a, r) => a + r.errors, 0);
    const retries = totals.reduce((a, r) => a + r.retries, 0);
    const seconds = (performance.now() - started) / 1000;
    const latencies = totals.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
    const percentile = (p: number): string => (latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(1);
    out(
      `\n_elapsed___errors_____ops(total)___ops/sec(cum)__p50(ms)__p95(ms)__p99(ms)\n${seconds.toFixed(1).padStart(7)}s ${String(errors).padStart(8)} ${String(transfers).padStart(14)} ${(transfers / seconds).toFixed(1).padStart(14)} ${percentile(0.5).padStart(8)} ${percentile(0.95).padStart(8)} ${percentile(0.99).padStart(8)}\n`,
    );
    // The check needs a live connection: after an outage, one more try (the run's time is up).
    const checker = outage.since === undefined ? clients[0] : await connectUntil(url, 0, lastError);
    if (checker && outage.since !== undefined) clients.push(checker);
    const check = checker
      ? await checkBank(
          checker,
          totals.flatMap((r) => r.acknowledged),
          { accounts },
        ).catch((error: unknown) => {
          lastError.error = error;
          return undefined;
        })
      : undefined;
    if (!check) {
      out(
        `retries: ${retries}; total balance not checked: no connection; acknowledged transfers: ${totals.reduce((a, r) => a + r.acknowledged.length, 0)}\n`,
      );
      const without = outage.since === undefined ? '' : ` for ${((performance.now() - outage.since) / 1000).toFixed(1)}s`;
      process.stderr.write(`crdb-studio: workload stopped: no connection to ${shown}${without} (${message(lastError.error)})\n`);
      return 1;
    }
    out(
      `retries: ${retries}; total balance ${check.total} (expected ${check.expectedTotal}); acknowledged transfers missing: ${check.missing.length}\n`,
    );
    return check.total === check.expectedTotal && check.missing.length === 0 ? 0 : 1;
  } catch (error) {
    // Setup or the check failed (the gateway died while creating the tables): one line, no trace.
    process.stderr.write(`crdb-studio: workload stopped: ${message(error)} (${shown})\n`);
    return 1;
  } finally {
    await endAll();
  }
}

export async function logictest(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
    },
  });
  if (positionals.length === 0) throw new ClusterUsageError('logictest needs at least one file');
  if (values.format !== 'text' && values.format !== 'json')
    throw new ClusterUsageError(`unknown --format '${values.format}' (expected text, json)`);
  const reports: { file: string; report: LogicReport }[] = [];
  for (const file of positionals) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      process.stderr.write(`crdb-studio: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      return 2;
    }
    const report = await runLogicFile(text, values.config !== undefined ? { config: values.config } : {});
    reports.push({ file, report });
    if (values.format === 'text') out(formatLogicReport(file, report, values.verbose));
  }
  const total = reports.reduce((n, r) => n + r.report.outcomes.length, 0);
  const passed = reports.reduce((n, r) => n + r.report.outcomes.filter((o) => o.passed).length, 0);
  if (values.format === 'json') out(`${JSON.stringify({ files: reports, total, passed }, null, 2)}\n`);
  else
    out(
      `total: ${passed}/${total} statements passed (${total === 0 ? 0 : ((100 * passed) / total).toFixed(1)}%) in ${reports.length} files\n`,
    );
  if (total === 0) process.stderr.write('crdb-studio: no statement ran: nothing was checked\n');
  return passed === total && total > 0 ? 0 : 1;
}
