// Runs a logic-test file on a fresh simulated cluster, as CockroachDB's own runner runs it on a
// test cluster: database `test`, users root and testuser, one session per user (and node), results
// compared value by value with the expected lines.
import { createHash } from 'node:crypto';
import { Simulator } from '../simulator';
import type { QueryResult } from '../sql/result';
import type { Session } from '../sql/session';
import { OID, type ErrorFields } from '../wire/messages';
import { chooseConfig, type LogicConfig } from './configs';
import { parseLogicFile, type Condition, type ExpectedError, type LogicRecord, type QueryRecord, type StatementRecord } from './logicFile';
import { DETERMINISTIC_EXPLAIN } from '../sql/explainStatement';

export interface RecordOutcome {
  line: number;
  sql: string;
  passed: boolean;
  /** Why it failed. */
  reason?: string;
}

export interface LogicReport {
  config: string;
  outcomes: RecordOutcome[];
  /** Statements and queries passed over by skipif/onlyif. */
  skipped: number;
}

export interface RunOptions {
  /** Run in this configuration instead of the file's first. */
  config?: string;
  cacheDir?: string;
  /** Called after each statement or query, for progress. */
  onOutcome?: (outcome: RecordOutcome) => void;
}

/** A statement that takes longer than this is reported as hung and the file goes on. */
const RECORD_LIMIT_MS = 120_000;

export async function runLogicFile(text: string, options: RunOptions = {}): Promise<LogicReport> {
  const file = parseLogicFile(text);
  const config = chooseConfig(file.configs, options.config);
  const simulator = await Simulator.start({
    localities: config.localities,
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
  });
  const run = new FileRun(simulator, config);
  try {
    await run.setUp();
    for (const record of file.records) {
      if (record.kind === 'halt') break;
      await run.record(record, options.onOutcome);
    }
    await run.settle();
  } finally {
    await run.close();
  }
  return { config: config.name, outcomes: run.outcomes, skipped: run.skipped };
}

class FileRun {
  readonly outcomes: RecordOutcome[] = [];
  skipped = 0;
  private readonly sessions = new Map<string, Session>();
  private user = 'root';
  private nodeIdx = 0;
  private readonly variables = new Map<string, string>();
  private readonly labels = new Map<string, string>();
  private readonly pending = new Map<string, { record: StatementRecord | QueryRecord; result: Promise<QueryResult[]> }>();

  constructor(
    private readonly simulator: Simulator,
    private readonly config: LogicConfig,
  ) {}

  /**
   * What CockroachDB's runner prepares: a `test` database to work in, a `testuser`, and automatic
   * statistics off (its logic tests run without them unless a config turns them on).
   */
  async setUp(): Promise<void> {
    const root = this.session('root', 0);
    const setUp = [
      'SET CLUSTER SETTING sql.stats.automatic_collection.enabled = false',
      'CREATE DATABASE IF NOT EXISTS test',
      'CREATE USER testuser',
    ];
    for (const sql of setUp) {
      const failed = (await root.execute(sql)).find((r) => r.error);
      if (failed?.error) throw new Error(`setting up the logic test failed: ${sql}: ${failed.error.message}`);
    }
    await root.execute('USE test');
  }

  private session(user: string, nodeIdx: number, fresh = false): Session {
    const key = `${user}@${nodeIdx}`;
    let session = this.sessions.get(key);
    if (!session || fresh) {
      const nodes = this.simulator.model.nodes();
      const nodeId = nodes[Math.min(nodeIdx, nodes.length - 1)]?.id ?? 1;
      session = this.simulator.openSession({ user, nodeId, database: 'test' });
      // CockroachDB's logic tests print EXPLAIN ANALYZE with fixed times and hidden nodes.
      session.vars.set(DETERMINISTIC_EXPLAIN, 'on');
      this.sessions.set(key, session);
    }
    return session;
  }

  async record(record: LogicRecord, onOutcome: RunOptions['onOutcome']): Promise<void> {
    if (record.kind === 'subtest' || record.kind === 'sleep') return;
    if (!this.applies(record.conditions)) {
      if (record.kind === 'statement' || record.kind === 'query' || record.kind === 'let') this.skipped++;
      return;
    }
    if (record.kind === 'user') {
      this.user = record.name;
      this.nodeIdx = record.nodeIdx ?? 0;
      this.session(this.user, this.nodeIdx, record.newSession);
      return;
    }
    if (record.kind === 'await') {
      const waiting = this.pending.get(record.argument);
      if (!waiting) return;
      this.pending.delete(record.argument);
      this.report(waiting.record, await this.judge(waiting.record, withLimit(waiting.result)), onOutcome);
      return;
    }
    if (record.kind !== 'statement' && record.kind !== 'query' && record.kind !== 'let') return;
    const sql = this.substitute(record.sql);
    const nodeIdx = record.kind === 'query' ? (record.options.nodeIdx ?? this.nodeIdx) : this.nodeIdx;
    const session = this.session(this.user, nodeIdx);
    if (record.kind === 'let') {
      const results = await withLimit(session.execute(sql));
      const result = last(results);
      const value = result.error ? undefined : result.rows[0]?.[0];
      for (const name of record.variables) this.variables.set(name, value ?? '');
      this.report(
        record,
        result.error ? `let: ${result.error.message}` : value === undefined ? 'let: the query returned no row' : undefined,
        onOutcome,
        sql,
      );
      return;
    }
    if (record.asyncName !== undefined) {
      const result = session.execute(sql);
      result.catch(() => undefined);
      this.pending.set(record.asyncName, { record: { ...record, sql }, result });
      return;
    }
    for (let i = 0; i < record.repeat; i++) {
      const reason = await this.judge({ ...record, sql }, withLimit(session.execute(sql)));
      if (reason !== undefined || i === record.repeat - 1) {
        this.report(record, reason, onOutcome, sql);
        break;
      }
    }
  }

  /** Async statements never awaited still finish before the cluster closes. */
  async settle(): Promise<void> {
    for (const { result } of this.pending.values()) await withLimit(result).catch(() => undefined);
  }

  async close(): Promise<void> {
    for (const session of this.sessions.values()) await this.simulator.closeSession(session).catch(() => undefined);
    await this.simulator.close();
  }

  private report(record: LogicRecord, reason: string | undefined, onOutcome: RunOptions['onOutcome'], sql?: string): void {
    const outcome: RecordOutcome = {
      line: record.line,
      sql: sql ?? ('sql' in record ? record.sql : ''),
      passed: reason === undefined,
      ...(reason !== undefined ? { reason } : {}),
    };
    this.outcomes.push(outcome);
    onOutcome?.(outcome);
  }

  private applies(conditions: readonly Condition[]): boolean {
    return conditions.every((c) => {
      const matches = c.target === 'config' ? c.configs.includes(this.config.name) : c.target === 'cockroachdb';
      return c.kind === 'onlyif' ? matches : !matches;
    });
  }

  private substitute(sql: string): string {
    if (this.variables.size === 0) return sql;
    const names = [...this.variables.keys()].sort((a, b) => b.length - a.length);
    let out = sql;
    for (const name of names) out = out.split(`$${name}`).join(this.variables.get(name) ?? '');
    return out;
  }

  /** Why the record failed, or undefined when it behaved as expected. */
  private async judge(record: StatementRecord | QueryRecord, running: Promise<QueryResult[]>): Promise<string | undefined> {
    let results: QueryResult[];
    try {
      results = await running;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    const failed = results.find((r) => r.error);
    const expectedError = record.kind === 'statement' ? (record.expect.kind === 'error' ? record.expect.error : undefined) : record.error;
    if (expectedError) {
      if (!failed?.error) return `expected an error matching ${describe(expectedError)}, but the statement succeeded`;
      return errorMismatch(expectedError, failed.error);
    }
    if (failed?.error) return `unexpected error: ${failed.error.code} ${failed.error.message}`;
    // As the Go driver reads a multi-statement query: the first result that has columns.
    const result = results.find((r) => r.fields.length > 0) ?? last(results);
    if (record.kind === 'statement') {
      if (record.expect.kind === 'count') {
        const count = affectedRows(result.tag);
        return count === record.expect.rows ? undefined : `expected ${record.expect.rows} rows affected, got ${count ?? result.tag}`;
      }
      if (record.expect.kind === 'notice') {
        const pattern = goRegex(record.expect.pattern);
        const notices = results.flatMap((r) => r.notices.map((n) => n.message));
        return notices.some((n) => pattern.test(n))
          ? undefined
          : `expected a notice matching ${record.expect.pattern}, got ${notices.join('; ')}`;
      }
      return undefined;
    }
    return this.compare(record, result, results);
  }

  private compare(record: QueryRecord, result: QueryResult, results: QueryResult[]): string | undefined {
    if (record.options.unsupported.length > 0) return `query options not simulated: ${record.options.unsupported.join(', ')}`;
    if (record.options.noticetrace) {
      const actual = results.flatMap((r) => r.notices.map((n) => `${n.severity ?? 'NOTICE'}: ${n.message}`));
      return sameTokens(actual.flatMap(tokens), (record.expected ?? []).flatMap(tokens), actual, record.expected ?? []);
    }
    if (record.types.length !== result.fields.length && record.types !== '')
      return `expected ${record.types.length} columns, got ${result.fields.length} (${result.fields.map((f) => f.name).join(', ')})`;
    const rows = result.rows.map((row) => row.map((value, i) => formatValue(value, result.fields[i]?.typeOid)));
    let expected = record.expected ?? [];
    if (record.options.colnames) {
      const names = result.fields.map((f) => f.name.replace(/ /g, '_'));
      const expectedNames = tokens(expected[0] ?? '');
      if (names.join(' ') !== expectedNames.join(' ')) return `expected columns ${expectedNames.join(' ')}, got ${names.join(' ')}`;
      expected = expected.slice(1);
    }
    const hashed = expected.length === 1 ? /^(\d+)\s+values?\s+hashing\s+to\s+([0-9a-fA-F]+)$/.exec(expected[0]?.trim() ?? '') : null;
    const sort = record.options.sort;
    let actualRows = rows.map((row) => row.flatMap(tokens).join(' '));
    let expectedRows = expected.map((line) => tokens(line).join(' '));
    if (sort === 'rows' || sort === 'partial') {
      actualRows = [...actualRows].sort();
      expectedRows = [...expectedRows].sort();
    }
    let actualValues = rows.flat();
    if (sort === 'values') actualValues = [...actualValues].sort();
    if (hashed) {
      const hash = createHash('md5');
      for (const value of actualValues) hash.update(`${value}\n`);
      const digest = hash.digest('hex');
      if (actualValues.length !== Number(hashed[1])) return `expected ${hashed[1]} values, got ${actualValues.length}`;
      return digest === hashed[2]?.toLowerCase() ? undefined : `values hash to ${digest}, expected ${hashed[2]}`;
    }
    if (record.label !== undefined) {
      const digest = createHash('md5').update(actualRows.join('\n')).digest('hex');
      const previous = this.labels.get(record.label);
      this.labels.set(record.label, digest);
      if (previous !== undefined && previous !== digest) return `results differ from the earlier query labelled ${record.label}`;
      if (record.expected === undefined) return undefined;
    }
    if (sort === 'values')
      return sameTokens(
        actualValues.flatMap(tokens).sort(),
        expected.flatMap(tokens).sort(),
        rows.map((r) => r.join('  ')),
        expected,
      );
    return sameTokens(
      actualRows.flatMap(tokens),
      expectedRows.flatMap(tokens),
      rows.map((r) => r.join('  ')),
      expected,
    );
  }
}

function sameTokens(actual: string[], expected: string[], actualLines: string[], expectedLines: string[]): string | undefined {
  if (actual.length === expected.length && actual.every((t, i) => t === expected[i])) return undefined;
  return `expected:\n    ${expectedLines.join('\n    ')}\nbut found:\n    ${actualLines.join('\n    ')}`;
}

/** A value as CockroachDB's runner prints it: NULL, `·` for the empty string, booleans as words. */
function formatValue(value: string | null, typeOid: number | undefined): string {
  if (value === null) return 'NULL';
  if (value === '') return '·';
  if (typeOid === OID.bool) return value === 't' ? 'true' : value === 'f' ? 'false' : value;
  return value;
}

function tokens(text: string): string[] {
  return text.split(/\s+/).filter((t) => t !== '');
}

function last(results: QueryResult[]): QueryResult {
  const result = results.find((r) => r.error) ?? results[results.length - 1];
  if (!result) throw new Error('no result');
  return result;
}

function affectedRows(tag: string): number | undefined {
  const words = tag.split(' ');
  const count = Number(words[words.length - 1]);
  return Number.isInteger(count) ? count : undefined;
}

function describe(error: ExpectedError): string {
  return `${error.code ? `pgcode ${error.code} ` : ''}${JSON.stringify(error.pattern)}`;
}

function errorMismatch(expected: ExpectedError, error: ErrorFields): string | undefined {
  const { code, message } = error;
  if (expected.code !== undefined && expected.code !== code) return `expected error code ${expected.code}, got ${code} ${message}`;
  if (expected.pattern === '') return undefined;
  const pattern = goRegex(expected.pattern);
  // CockroachDB's runner matches the driver's text of the error: `pq: <message>`, then its
  // DETAIL and HINT lines.
  const full = `pq: ${message}${error.detail ? `\nDETAIL: ${error.detail}` : ''}${error.hint ? `\nHINT: ${error.hint}` : ''}`;
  if (pattern.test(full) || pattern.test(message)) return undefined;
  return `expected an error matching ${describe(expected)}, got ${code} ${full.slice('pq: '.length)}`;
}

/** A Go regular expression as a JavaScript one: leading (?s)/(?i) flags; a literal match when it does not compile. */
function goRegex(source: string): RegExp {
  let flags = '';
  let body = source;
  for (;;) {
    const flag = /^\(\?([is]+)\)/.exec(body);
    if (!flag) break;
    flags += flag[1] ?? '';
    body = body.slice(flag[0].length);
  }
  body = body.replace(/\\z/g, '$').replace(/\[\[:alnum:\]\]/g, '[A-Za-z0-9]');
  try {
    return new RegExp(body, [...new Set(flags)].join(''));
  } catch {
    return new RegExp(body.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
}

function withLimit<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${RECORD_LIMIT_MS / 1000} s`));
    }, RECORD_LIMIT_MS);
    timer.unref();
  });
  return Promise.race([promise, limit]).finally(() => {
    clearTimeout(timer);
  });
}
