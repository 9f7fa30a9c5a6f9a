// Runs a workload's operations in simulated time, as `cockroach workload run` would over the
// same duration: each simulated second runs a bounded number of real operations against the
// cluster (the simulator executes every statement), then the cluster's clock moves on a second.
// The figures printed are the operations that really ran, with the latencies the simulated
// cluster gave them; the bound keeps a five-minute run to a few seconds of work.

/**
 * One operation: it ran (ok), or failed with a SQL error (counted as an error, as workload does).
 * `name` is the histogram it is recorded under when a workload mixes operations (ycsb's read,
 * update…); without it the run's own name.
 */
export type OpResult = ({ ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: string }) & { name?: string };

export interface VirtualRunOptions {
  /** The operation's name in workload's report (`transfer`, `read`, `write`…). */
  name: string;
  durationMs: number;
  maxOps?: number;
  concurrency: number;
  /** Moves the cluster's clock (failover, leases) on by `ms`. */
  advance(ms: number): void;
  op(): Promise<OpResult>;
  /** Stop early: the gateway died (connection lost). Returns the message to print. */
  lost?(): string | undefined;
  /** Stop at the first failed operation, as workload does without --tolerate-errors. */
  stopOnError?: boolean;
}

export interface VirtualRunReport {
  lines: string[];
  ops: number;
  errors: number;
  /** Why the run stopped early, if it did (workload's error line). */
  stopped?: string;
}

/** At most this many operations a simulated second, and this many in a whole run. */
const OPS_PER_SECOND = 20;
const OPS_PER_RUN = 400;

const HEADER = '_elapsed___errors__ops/sec(inst)___ops/sec(cum)__p50(ms)__p95(ms)__p99(ms)_pMax(ms)';
const SUMMARY = '_elapsed___errors_____ops(total)___ops/sec(cum)__avg(ms)__p50(ms)__p95(ms)__p99(ms)_pMax(ms)';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function ms(value: number): string {
  return value.toFixed(1);
}

export async function runVirtual(options: VirtualRunOptions): Promise<VirtualRunReport> {
  const seconds = Math.max(1, Math.ceil(options.durationMs / 1000));
  const perSecond = Math.max(1, Math.min(OPS_PER_SECOND * Math.max(1, options.concurrency), Math.floor(OPS_PER_RUN / seconds)));
  const lines: string[] = [HEADER];
  // Long runs print a line every few seconds (workload prints one a second; 300 lines say no more).
  const every = Math.max(1, Math.ceil(seconds / 30));
  // Latencies by histogram name, for the whole run; workload prints the names in sorted order.
  const all = new Map<string, number[]>();
  const names = (): string[] => [...all.keys()].sort();
  let done = 0;
  let errors = 0;
  let stopped: string | undefined;
  const finish = (elapsed: number): VirtualRunReport => ({
    lines: [...lines, ...summary(options.name, elapsed, errors, all)],
    ops: done,
    errors,
    ...(stopped !== undefined ? { stopped } : {}),
  });
  for (let second = 1; second <= seconds; second++) {
    const latencies = new Map<string, number[]>();
    for (let i = 0; i < perSecond && done < (options.maxOps ?? Infinity); i++) {
      const lost = options.lost?.();
      if (lost !== undefined) {
        stopped = lost;
        break;
      }
      const result = await options.op();
      const name = result.name ?? options.name;
      if (!all.has(name)) all.set(name, []);
      if (result.ok) {
        latencies.set(name, [...(latencies.get(name) ?? []), result.latencyMs]);
        all.get(name)?.push(result.latencyMs);
        done++;
      } else {
        errors++;
        if (options.stopOnError) {
          stopped = `Error: ${result.error}`;
          break;
        }
      }
    }
    options.advance(1000);
    if (second % every === 0 || second === seconds || stopped !== undefined) {
      for (const name of all.size === 0 ? [options.name] : names()) {
        const sorted = [...(latencies.get(name) ?? [])].sort((a, b) => a - b);
        const total = all.get(name)?.length ?? 0;
        lines.push(
          `${`${second}.0s`.padStart(8)} ${String(errors).padStart(8)} ${sorted.length.toFixed(1).padStart(14)} ${(total / second).toFixed(1).padStart(14)} ${ms(percentile(sorted, 50)).padStart(8)} ${ms(percentile(sorted, 95)).padStart(8)} ${ms(percentile(sorted, 99)).padStart(8)} ${ms(sorted[sorted.length - 1] ?? 0).padStart(8)} ${name}`,
        );
      }
    }
    if (stopped !== undefined || done >= (options.maxOps ?? Infinity)) return finish(second);
  }
  return finish(seconds);
}

function totalLine(seconds: number, errors: number, latencies: readonly number[], name: string): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const avg = sorted.length === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return `${`${seconds}.0s`.padStart(8)} ${String(errors).padStart(8)} ${String(latencies.length).padStart(14)} ${(latencies.length / seconds).toFixed(1).padStart(14)} ${ms(avg).padStart(8)} ${ms(percentile(sorted, 50)).padStart(8)} ${ms(percentile(sorted, 95)).padStart(8)} ${ms(percentile(sorted, 99)).padStart(8)} ${ms(sorted[sorted.length - 1] ?? 0).padStart(8)}  ${name}`;
}

/**
 * The totals: one block per operation; a run that mixes operations (ycsb) ends, as workload
 * does, with a __result block over all of them.
 */
function summary(name: string, seconds: number, errors: number, byName: ReadonlyMap<string, readonly number[]>): string[] {
  const names = [...byName.keys()].sort();
  if (names.length <= 1) return ['', `${SUMMARY}__total`, totalLine(seconds, errors, byName.get(names[0] ?? name) ?? [], name)];
  const lines = [''];
  for (const op of names) lines.push(`${SUMMARY}__total`, totalLine(seconds, 0, byName.get(op) ?? [], op));
  lines.push(
    '',
    `${SUMMARY}__result`,
    totalLine(
      seconds,
      errors,
      names.flatMap((op) => byName.get(op) ?? []),
      '',
    ),
  );
  return lines;
}

/** workload's duration flag (`10s`, `1m`, `1m30s`, `500ms`); undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  let total = 0;
  let rest = text.trim();
  if (rest === '') return undefined;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) return undefined;
    const unit = match[2] === 'ms' ? 1 : match[2] === 's' ? 1000 : match[2] === 'm' ? 60_000 : 3_600_000;
    total += Number(match[1]) * unit;
    rest = rest.slice(match[0].length);
  }
  return total;
}
