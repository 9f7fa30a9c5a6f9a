// Reads a file in CockroachDB's logic-test format (pkg/sql/logictest: `statement ok`,
// `statement error <regex>`, `query <types> <options> <label>`, `----`, `user`, `let`,
// `subtest`, `skipif`/`onlyif`, …) into records the runner executes in order.

/** What a statement or query expects when it fails: an optional SQLSTATE and a regex of the message. */
export interface ExpectedError {
  code?: string;
  pattern: string;
}

interface RecordBase {
  /** 1-based line of the directive. */
  line: number;
  /** `skipif`/`onlyif` conditions that came before it. */
  conditions: Condition[];
  /** Repeat the record this many times (`repeat N`). */
  repeat: number;
}

export interface StatementRecord extends RecordBase {
  kind: 'statement';
  sql: string;
  expect: { kind: 'ok' } | { kind: 'count'; rows: number } | { kind: 'error'; error: ExpectedError } | { kind: 'notice'; pattern: string };
  /** `statement async <name> …`: started now, awaited by `awaitstatement <name>`. */
  asyncName?: string;
}

export interface QueryRecord extends RecordBase {
  kind: 'query';
  sql: string;
  /** One letter per column: T text, I integer, R float/decimal, B boolean, O oid. */
  types: string;
  options: QueryOptions;
  label?: string;
  error?: ExpectedError;
  /** The lines after `----`, or undefined when the query has none. */
  expected?: string[];
  asyncName?: string;
}

export interface QueryOptions {
  sort: 'none' | 'rows' | 'values' | 'partial';
  colnames: boolean;
  noticetrace: boolean;
  retry: boolean;
  /** Run on this node's session (0-based, as the format counts). */
  nodeIdx?: number;
  /** Options the runner cannot honour (kvtrace, …): the record fails, saying so. */
  unsupported: string[];
}

export interface UserRecord extends RecordBase {
  kind: 'user';
  name: string;
  nodeIdx?: number;
  newSession: boolean;
}

export interface LetRecord extends RecordBase {
  kind: 'let';
  variables: string[];
  sql: string;
}

export interface ControlRecord extends RecordBase {
  kind: 'subtest' | 'halt' | 'sleep' | 'await';
  argument: string;
}

export type LogicRecord = StatementRecord | QueryRecord | UserRecord | LetRecord | ControlRecord;

export interface Condition {
  kind: 'skipif' | 'onlyif';
  /** `cockroachdb`, `postgresql`, `mysql`, … or `config <names>` (one of them matches). */
  target: string;
  configs: string[];
}

export interface LogicFile {
  /** The configurations of the `# LogicTest:` line; names starting with ! exclude. */
  configs: string[];
  records: LogicRecord[];
}

export function parseLogicFile(text: string): LogicFile {
  const lines = text.split(/\r?\n/);
  const records: LogicRecord[] = [];
  let configs: string[] = [];
  let conditions: Condition[] = [];
  let repeat = 1;
  let i = 0;

  /** Lines from i up to a blank line (or `----` when stopAtSeparator). */
  const block = (stopAtSeparator: boolean): { sql: string; separator: boolean } => {
    const out: string[] = [];
    while (i < lines.length) {
      const line = lines[i] ?? '';
      if (line.trim() === '') break;
      if (stopAtSeparator && line.trim() === '----') {
        i++;
        return { sql: out.join('\n'), separator: true };
      }
      out.push(line);
      i++;
    }
    return { sql: out.join('\n'), separator: false };
  };
  const resultLines = (): string[] => {
    const out: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() !== '') out.push(lines[i++] ?? '');
    return out;
  };
  const base = (line: number): RecordBase => {
    const record = { line, conditions, repeat };
    conditions = [];
    repeat = 1;
    return record;
  };

  while (i < lines.length) {
    const raw = lines[i] ?? '';
    const line = i + 1;
    i++;
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const header = /^#\s*LogicTest:\s*(.*)$/.exec(trimmed);
      if (header && records.length === 0) configs = (header[1] ?? '').split(/\s+/).filter((c) => c !== '');
      continue;
    }
    const words = trimmed.split(/\s+/);
    const command = words[0] ?? '';
    switch (command) {
      case 'statement': {
        let rest = words.slice(1).filter((w) => w !== 'disable-cf-mutator');
        let asyncName: string | undefined;
        if (rest[0] === 'async') {
          asyncName = rest[1];
          rest = rest.slice(2);
        }
        const head = rest[0] ?? 'ok';
        let expect: StatementRecord['expect'] = { kind: 'ok' };
        if (head === 'error') expect = { kind: 'error', error: expectedError(trimmed) };
        else if (head === 'count') expect = { kind: 'count', rows: Number(rest[1] ?? '0') };
        else if (head === 'notice') expect = { kind: 'notice', pattern: trimmed.slice(trimmed.indexOf('notice') + 'notice'.length).trim() };
        const { sql, separator } = block(true);
        // `statement error` may give the full message after `----`: the regex is then that text.
        if (separator && expect.kind === 'error') {
          const message = resultLines().join('\n');
          if (expect.error.pattern === '') expect.error.pattern = escapeRegex(message);
        }
        records.push({ kind: 'statement', ...base(line), sql, expect, ...(asyncName ? { asyncName } : {}) });
        break;
      }
      case 'query': {
        const record = base(line);
        if (words[1] === 'error') {
          const { sql, separator } = block(true);
          const error = expectedError(trimmed);
          if (separator) {
            const message = resultLines().join('\n');
            if (error.pattern === '') error.pattern = escapeRegex(message);
          }
          records.push({ kind: 'query', ...record, sql, types: '', options: queryOptions(''), error });
          break;
        }
        let rest = words.slice(1);
        let asyncName: string | undefined;
        if (rest[0] === 'async') {
          asyncName = rest[1];
          rest = rest.slice(2);
        }
        const types = rest[0] ?? '';
        const options = queryOptions(rest[1] ?? '');
        const label = rest[2];
        const { sql, separator } = block(true);
        const expected = separator ? resultLines() : undefined;
        records.push({
          kind: 'query',
          ...record,
          sql,
          types,
          options,
          ...(label ? { label } : {}),
          ...(expected ? { expected } : {}),
          ...(asyncName ? { asyncName } : {}),
        });
        break;
      }
      case 'user': {
        const record = base(line);
        const nodeIdx = words.find((w) => w.startsWith('nodeidx='));
        records.push({
          kind: 'user',
          ...record,
          name: words[1] ?? 'root',
          ...(nodeIdx ? { nodeIdx: Number(nodeIdx.slice('nodeidx='.length)) } : {}),
          newSession: words.includes('newsession'),
        });
        break;
      }
      case 'let': {
        const record = base(line);
        const { sql } = block(false);
        records.push({ kind: 'let', ...record, variables: words.slice(1).map((w) => w.replace(/^\$/, '')), sql });
        break;
      }
      case 'skipif':
      case 'onlyif': {
        const target = words[1] ?? '';
        conditions.push({ kind: command, target, configs: target === 'config' ? words.slice(2).filter((w) => !w.startsWith('#')) : [] });
        break;
      }
      case 'repeat':
        repeat = Math.max(1, Number(words[1] ?? '1') || 1);
        break;
      case 'subtest':
      case 'sleep':
        records.push({ kind: command, ...base(line), argument: words.slice(1).join(' ') });
        break;
      case 'halt':
        records.push({ kind: 'halt', ...base(line), argument: '' });
        break;
      case 'awaitstatement':
      case 'awaitquery':
        records.push({ kind: 'await', ...base(line), argument: words[1] ?? '' });
        break;
      default:
        // Directives that change nothing the simulator has (traceon, kv-batch-size, retry,
        // skip_on_retry, …) are read and passed over; a following block is skipped with them.
        conditions = [];
        repeat = 1;
        break;
    }
  }
  return { configs, records };
}

/** `statement error [pgcode XXXXX] <regex>` / `query error …`. */
function expectedError(directive: string): ExpectedError {
  const after = directive.replace(/^(statement|query)\s+(async\s+\S+\s+)?error\s*/, '');
  const coded = /^pgcode\s+(\S+)\s*(.*)$/.exec(after);
  if (coded) return { code: coded[1] ?? '', pattern: coded[2] ?? '' };
  return { pattern: after };
}

function queryOptions(text: string): QueryOptions {
  const options: QueryOptions = { sort: 'none', colnames: false, noticetrace: false, retry: false, unsupported: [] };
  for (const option of text.split(',').filter((o) => o !== '')) {
    if (option === 'rowsort') options.sort = 'rows';
    else if (option === 'valuesort') options.sort = 'values';
    else if (option.startsWith('partialsort')) options.sort = 'partial';
    else if (option === 'colnames') options.colnames = true;
    else if (option === 'noticetrace') options.noticetrace = true;
    else if (option === 'retry') options.retry = true;
    else if (option.startsWith('nodeidx=')) options.nodeIdx = Number(option.slice('nodeidx='.length));
    else if (option === 'nosort' || option === 'round-in-strings' || option === 'async') continue;
    else options.unsupported.push(option);
  }
  return options;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
