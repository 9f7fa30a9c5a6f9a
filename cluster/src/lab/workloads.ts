// `cockroach workload init|run bank|movr|kv|ycsb [flags] [postgres URLs]` in the lab: the workloads of
// cluster/src/workload run through the node the URL names (or a load balancer on its port), in
// simulated time (workload/virtualRun.ts): `--duration` moves the cluster's clock on as long.
import type { Session } from '../sql/session';
import { initBank, runBank, type SqlClient } from '../workload/bank';
import { initKv, kvOperation } from '../workload/kv';
import { initMovr, movrOperation } from '../workload/movr';
import { parseDuration, runVirtual, type OpResult } from '../workload/virtualRun';
import { initYcsb, YcsbRun } from '../workload/ycsb';
import { ycsbFlags } from '../workload/ycsbFlags';
import { connectionParams, connectTarget, flagValue, hasFlag } from './cockroachSql';
import { failed, notSimulated, simulated, type Lab, type Outcome } from './lab';

const WORKLOADS = ['bank', 'kv', 'movr', 'ycsb'];
/** Workloads cockroach has that the lab does not generate (their data sets are large or many). */
const NOT_SIMULATED = ['intro', 'startrek', 'tpcc', 'tpch', 'ledger', 'roachmart', 'json', 'queue', 'rand', 'sqlsmith', 'schemachange'];

/** A session as the workloads' client; errors thrown with their SQLSTATE; latencies summed. */
export function sessionClient(session: Session): SqlClient & { latencyMs: number } {
  const client = {
    latencyMs: 0,
    async query(text: string) {
      const results = await session.execute(text);
      for (const result of results) {
        client.latencyMs += result.latencyMs ?? 0;
        if (result.error) throw Object.assign(new Error(result.error.message), { code: result.error.code });
      }
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []).map((row) => Object.fromEntries((last?.fields ?? []).map((f, i) => [f.name, row[i] ?? null]))) };
    },
  };
  return client;
}

function numberFlag(words: readonly string[], name: string): number | undefined {
  const value = flagValue(words, name);
  return value === undefined ? undefined : Number(value);
}

export async function workload(words: readonly string[], lab: Lab): Promise<Outcome> {
  const [verb, name] = words.slice(2);
  if (verb !== 'init' && verb !== 'run') {
    if (verb === undefined) return failed("ERROR: missing subcommand\nRun 'cockroach workload --help' for usage.");
    return failed(`ERROR: unknown command "${verb}" for "cockroach workload"\nRun 'cockroach workload --help' for usage.`);
  }
  if (name !== undefined && NOT_SIMULATED.includes(name))
    return notSimulated(`cockroach workload ${verb} ${name}: the lab generates the ${WORKLOADS.join(', ')} workloads only`);
  if (name === undefined || !WORKLOADS.includes(name)) {
    if (name !== undefined && !name.startsWith('-') && !name.startsWith('postgres'))
      return failed(
        `ERROR: unknown command "${name}" for "cockroach workload ${verb}"\nRun 'cockroach workload ${verb} --help' for usage.`,
      );
    return failed(`ERROR: missing subcommand\nRun 'cockroach workload ${verb} --help' for usage.`);
  }
  const url = words.slice(4).find((w) => /^postgres(ql)?:\/\//.test(w)) ?? 'postgresql://root@localhost:26257?sslmode=disable';
  const command = `workload ${verb} ${name}`;
  const target = connectTarget(lab, connectionParams([], url), command);
  if ('outcome' in target) return target.outcome;
  const ycsb = name === 'ycsb' ? ycsbFlags(words.slice(4)) : undefined;
  if (typeof ycsb === 'string') return failed(`Error: ${ycsb}`);
  const session = lab.cluster.openSession({ nodeId: target.nodeId });
  const client = sessionClient(session);
  try {
    if (verb === 'init') {
      if (ycsb) {
        const loaded = await initYcsb(client, ycsb, { drop: hasFlag(words, '--drop') });
        return simulated([`imported usertable (0s, ${loaded.rows} rows)`, ...(loaded.note ? [loaded.note] : [])].join('\n'));
      }
      return await init(name, words, client);
    }
    const ycsbRun = ycsb ? new YcsbRun(ycsb) : undefined;
    return await run(name, words, lab, session, client, target.nodeId, ycsbRun);
  } catch (error) {
    return failed(`Error: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await lab.cluster.closeSession(session);
  }
}

async function init(name: string, words: readonly string[], client: SqlClient): Promise<Outcome> {
  const loaded: [string, number][] = [];
  if (name === 'bank') {
    const rows = numberFlag(words, '--rows') ?? 1000;
    await initBank(client, { accounts: rows });
    loaded.push(['bank', rows]);
  } else if (name === 'movr') {
    loaded.push(
      ...(await initMovr(client, {
        ...optional('users', numberFlag(words, '--num-users')),
        ...optional('vehicles', numberFlag(words, '--num-vehicles')),
        ...optional('rides', numberFlag(words, '--num-rides')),
        ...optional('histories', numberFlag(words, '--num-histories')),
        ...optional('promoCodes', numberFlag(words, '--num-promo-codes')),
      })),
    );
  } else {
    await initKv(client, { drop: hasFlag(words, '--drop') });
    loaded.push(['kv', 0]);
  }
  return simulated(loaded.map(([table, rows]) => `imported ${table} (0s, ${rows} rows)`).join('\n'));
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined || Number.isNaN(value) ? {} : ({ [key]: value } as Record<K, number>);
}

async function run(
  name: string,
  words: readonly string[],
  lab: Lab,
  session: Session,
  client: SqlClient & { latencyMs: number },
  nodeId: number,
  ycsb?: YcsbRun,
): Promise<Outcome> {
  const durationFlag = flagValue(words, '--duration');
  const durationMs = durationFlag === undefined ? undefined : parseDuration(durationFlag);
  if (durationFlag !== undefined && durationMs === undefined)
    return failed(`ERROR: invalid argument "${durationFlag}" for "--duration" flag: time: invalid duration "${durationFlag}"`);
  const maxOps = numberFlag(words, '--max-ops');
  // Without --duration or --max-ops workload runs until stopped; the lab stops it after a minute.
  const note = durationMs === undefined && maxOps === undefined ? ['(no --duration or --max-ops: the lab runs one simulated minute)'] : [];
  const readPercent = numberFlag(words, '--read-percent') ?? 0;
  const blockBytes = numberFlag(words, '--max-block-bytes') ?? numberFlag(words, '--min-block-bytes') ?? 1;
  let index = 0;
  const accounts = numberFlag(words, '--rows') ?? 1000;
  const opName =
    name === 'ycsb'
      ? 'read'
      : name === 'bank'
        ? 'transfer'
        : name === 'movr'
          ? 'movr'
          : readPercent >= 100
            ? 'read'
            : readPercent > 0
              ? 'read/write'
              : 'write';
  const report = await runVirtual({
    name: opName,
    durationMs: durationMs ?? (maxOps !== undefined ? Math.ceil(maxOps / 20) * 1000 : 60_000),
    ...(maxOps !== undefined ? { maxOps } : {}),
    concurrency: numberFlag(words, '--concurrency') ?? 1,
    advance: (ms) => {
      if (lab.cluster.time === 'virtual') lab.cluster.model.advance(ms);
    },
    stopOnError: !hasFlag(words, '--tolerate-errors'),
    lost: () =>
      lab.cluster.model.node(session.nodeId)?.running === false ? `Error: unexpected EOF (the gateway node n${nodeId} stopped)` : undefined,
    op: async (): Promise<OpResult> => {
      const before = client.latencyMs;
      const seed = ++index;
      let opName: string | undefined;
      try {
        if (ycsb) opName = await ycsb.step(client);
        else if (name === 'bank') {
          const result = await runBank(client, { accounts, maxTransfers: 1, durationMs: Infinity, seed });
          if (result.errors > 0) return { ok: false, latencyMs: client.latencyMs - before, error: 'transfer failed' };
        } else if (name === 'movr') await movrOperation(seed)(client);
        else await kvOperation(seed, { readPercent, blockBytes }).run(client);
        return { ok: true, latencyMs: Math.max(0.1, client.latencyMs - before), ...(opName ? { name: opName } : {}) };
      } catch (error) {
        return {
          ok: false,
          latencyMs: client.latencyMs - before,
          error: error instanceof Error ? error.message : String(error),
          ...(opName ? { name: opName } : {}),
        };
      }
    },
  });
  const lines = [...note, ...report.lines];
  if (report.stopped !== undefined) return failed(report.stopped, 1, lines.join('\n'));
  return simulated(lines.join('\n'));
}
