// The results view's model, free of the DOM so it can be unit-tested in Node: which run is shown,
// its statements and their rows, and the per-statement view settings (sort, filter, scroll) that
// survive the panel being hidden and shown again.
import type { Notice, ResultColumn, ResultsToWebview, RunSummary, StatementStatus, StatementView } from '../../../protocol/src/results';

export type Row = (string | null)[];

export interface Model {
  /** The session's runs, newest first. */
  history: RunSummary[];
  /** The run whose statements are shown. */
  run?: RunSummary;
  /** The shown run's statements, by index. */
  statements: StatementView[];
}

/** What a message changed, so the DOM updates only that. */
export type Change =
  | { kind: 'none' }
  /** A different run is shown: every tab is new. */
  | { kind: 'run' }
  /** The shown run's summary (status) changed. */
  | { kind: 'run-status' }
  | { kind: 'statement'; id: string; previous?: StatementView }
  | { kind: 'rows'; id: string }
  | { kind: 'history' };

export function emptyModel(): Model {
  return { history: [], statements: [] };
}

function byIndex(a: StatementView, b: StatementView): number {
  return a.index - b.index;
}

/** A statement with more rows at its end. */
export function appendRows(statement: StatementView, rows: Row[], hasMore: boolean, rowCount: number): StatementView {
  return { ...statement, rows: statement.rows.concat(rows), hasMore, rowCount };
}

function replaceRun(history: RunSummary[], run: RunSummary): RunSummary[] {
  const at = history.findIndex((r) => r.runId === run.runId);
  if (at < 0) return [run, ...history];
  const next = history.slice();
  next[at] = run;
  return next;
}

export function applyMessage(model: Model, message: ResultsToWebview): { model: Model; change: Change } {
  switch (message.type) {
    case 'run-started':
      return { model: { history: replaceRun(model.history, message.run), run: message.run, statements: [] }, change: { kind: 'run' } };
    case 'run-finished': {
      const history = replaceRun(model.history, message.run);
      if (model.run?.runId !== message.run.runId) return { model: { ...model, history }, change: { kind: 'history' } };
      return { model: { ...model, history, run: message.run }, change: { kind: 'run-status' } };
    }
    case 'statement': {
      const statement = message.statement;
      let { run } = model;
      let statements = model.statements;
      if (run === undefined) {
        // A statement of a run the view was not told about (it was reloaded mid-run): show that run.
        run = model.history.find((r) => r.runId === statement.runId) ?? syntheticRun(statement);
        statements = [];
      } else if (run.runId !== statement.runId) {
        // The user is looking at another run; this one stays reachable from the history.
        return { model, change: { kind: 'none' } };
      }
      const at = statements.findIndex((s) => s.id === statement.id);
      const previous = at < 0 ? undefined : statements[at];
      const next = at < 0 ? [...statements, statement].sort(byIndex) : statements.map((s, i) => (i === at ? statement : s));
      const change: Change = previous ? { kind: 'statement', id: statement.id, previous } : { kind: 'statement', id: statement.id };
      return { model: { ...model, run, statements: next }, change };
    }
    case 'rows': {
      const at = model.statements.findIndex((s) => s.id === message.id);
      const target = model.statements[at];
      if (!target) return { model, change: { kind: 'none' } };
      const updated = appendRows(target, message.rows, message.hasMore, message.rowCount);
      return {
        model: { ...model, statements: model.statements.map((s, i) => (i === at ? updated : s)) },
        change: { kind: 'rows', id: message.id },
      };
    }
    case 'history': {
      const run = model.run && (message.runs.find((r) => r.runId === model.run?.runId) ?? model.run);
      return { model: { ...model, history: message.runs, run }, change: { kind: 'history' } };
    }
    case 'show-run': {
      const run = model.history.find((r) => r.runId === message.runId) ?? syntheticRun(message.statements[0], message.runId);
      return { model: { ...model, run, statements: message.statements.slice().sort(byIndex) }, change: { kind: 'run' } };
    }
  }
}

/** A stand-in summary for a run known only from its statements. */
function syntheticRun(statement: StatementView | undefined, runId = statement?.runId ?? ''): RunSummary {
  return { runId, target: '', source: '', startedAt: Date.now(), statements: 0, status: statement?.status ?? 'done' };
}

// ---- Messages from the host, checked before use: a malformed one must not break the view. ----

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const statuses: readonly string[] = ['running', 'done', 'error', 'cancelled'] satisfies StatementStatus[];

function isRows(value: unknown): value is Row[] {
  return Array.isArray(value) && value.every((row) => Array.isArray(row) && row.every((cell) => cell === null || typeof cell === 'string'));
}

function isRun(value: unknown): value is RunSummary {
  return (
    isObject(value) &&
    typeof value['runId'] === 'string' &&
    typeof value['target'] === 'string' &&
    typeof value['source'] === 'string' &&
    typeof value['startedAt'] === 'number' &&
    typeof value['statements'] === 'number' &&
    statuses.includes(value['status'] as string) &&
    optional(value['sql'], 'string')
  );
}

function isColumn(value: unknown): value is ResultColumn {
  return isObject(value) && typeof value['name'] === 'string' && typeof value['type'] === 'string';
}

function isNotice(value: unknown): value is Notice {
  return isObject(value) && typeof value['severity'] === 'string' && typeof value['message'] === 'string';
}

function optional(value: unknown, type: 'string' | 'number'): boolean {
  return value === undefined || typeof value === type;
}

function isStatement(value: unknown): value is StatementView {
  if (!isObject(value)) return false;
  const error = value['error'];
  return (
    typeof value['id'] === 'string' &&
    typeof value['runId'] === 'string' &&
    typeof value['index'] === 'number' &&
    typeof value['statement'] === 'string' &&
    typeof value['line'] === 'number' &&
    statuses.includes(value['status'] as string) &&
    Array.isArray(value['columns']) &&
    value['columns'].every(isColumn) &&
    isRows(value['rows']) &&
    typeof value['hasMore'] === 'boolean' &&
    Array.isArray(value['notices']) &&
    value['notices'].every(isNotice) &&
    optional(value['tag'], 'string') &&
    optional(value['rowCount'], 'number') &&
    optional(value['elapsedMs'], 'number') &&
    optional(value['simulatedLatencyMs'], 'number') &&
    optional(value['note'], 'string') &&
    (error === undefined ||
      (isObject(error) &&
        typeof error['message'] === 'string' &&
        optional(error['code'], 'string') &&
        optional(error['detail'], 'string') &&
        optional(error['hint'], 'string') &&
        optional(error['line'], 'number') &&
        optional(error['column'], 'number')))
  );
}

/** The message if it is one the view knows and well formed, else undefined (ignored). */
export function parseHostMessage(value: unknown): ResultsToWebview | undefined {
  if (!isObject(value)) return undefined;
  const ok = (() => {
    switch (value['type']) {
      case 'run-started':
      case 'run-finished':
        return isRun(value['run']);
      case 'statement':
        return isStatement(value['statement']);
      case 'rows':
        return (
          typeof value['id'] === 'string' &&
          isRows(value['rows']) &&
          typeof value['hasMore'] === 'boolean' &&
          typeof value['rowCount'] === 'number'
        );
      case 'history':
        return Array.isArray(value['runs']) && value['runs'].every(isRun);
      case 'show-run':
        return typeof value['runId'] === 'string' && Array.isArray(value['statements']) && value['statements'].every(isStatement);
      default:
        return false;
    }
  })();
  return ok ? (value as unknown as ResultsToWebview) : undefined;
}

// ---- Sorting and filtering the loaded rows. ----

export type SortDirection = 'ascending' | 'descending';

export interface SortState {
  column: number;
  direction: SortDirection;
}

/** Header clicks cycle ascending → descending → unsorted (the order the rows arrived in). */
export function nextSort(current: SortState | undefined, column: number): SortState | undefined {
  if (current?.column !== column) return { column, direction: 'ascending' };
  return current.direction === 'ascending' ? { column, direction: 'descending' } : undefined;
}

const numericTypes = new Set([
  'INT',
  'INT2',
  'INT4',
  'INT8',
  'INT64',
  'INTEGER',
  'SMALLINT',
  'BIGINT',
  'SERIAL',
  'SERIAL2',
  'SERIAL4',
  'SERIAL8',
  'SMALLSERIAL',
  'BIGSERIAL',
  'FLOAT',
  'FLOAT4',
  'FLOAT8',
  'REAL',
  'DOUBLE PRECISION',
  'DECIMAL',
  'NUMERIC',
  'DEC',
  'OID',
]);

/** Whether a column of this type sorts by value rather than as text. Arrays sort as text. */
export function isNumericType(type: string): boolean {
  const base = type
    .trim()
    .toUpperCase()
    .replace(/\s*\(.*\)$/, '')
    .replace(/\s+/g, ' ');
  return numericTypes.has(base);
}

/** Code-unit order: what CockroachDB's ORDER BY gives for STRING under its default collation. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const plainDecimal = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Exact comparison of two plain decimals, for DECIMALs that doubles cannot tell apart. */
function compareDecimalText(a: string, b: string): number {
  const x = plainDecimal.exec(a);
  const y = plainDecimal.exec(b);
  if (!x || !y) return 0;
  const parts = (m: RegExpExecArray): { negative: boolean; whole: string; fraction: string } => {
    const whole = (m[2] ?? '').replace(/^0+/, '');
    const fraction = (m[3] ?? '').replace(/0+$/, '');
    return { negative: m[1] === '-' && (whole !== '' || fraction !== ''), whole, fraction };
  };
  const p = parts(x);
  const q = parts(y);
  if (p.negative !== q.negative) return p.negative ? -1 : 1;
  let magnitude = p.whole.length - q.whole.length || compareText(p.whole, q.whole);
  if (magnitude === 0) {
    const width = Math.max(p.fraction.length, q.fraction.length);
    magnitude = compareText(p.fraction.padEnd(width, '0'), q.fraction.padEnd(width, '0'));
  }
  if (magnitude === 0) return 0;
  return (p.negative ? -1 : 1) * Math.sign(magnitude);
}

/** Numbers by value; NaN (and anything unparsable) after every number, as PostgreSQL orders NaN. */
export function compareNumericText(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  const xNaN = Number.isNaN(x);
  const yNaN = Number.isNaN(y);
  if (xNaN || yNaN) return xNaN && yNaN ? compareText(a, b) : xNaN ? 1 : -1;
  if (x !== y) return x < y ? -1 : 1;
  return compareDecimalText(a, b);
}

/**
 * Ascending order of two cells of a column. NULLs come first, as CockroachDB sorts them in an
 * ascending ORDER BY (PostgreSQL puts them last).
 */
export function compareCells(a: string | null, b: string | null, numeric: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return numeric ? compareNumericText(a, b) : compareText(a, b);
}

// A row's cells lowercased once, joined by a character no filter can contain.
const searchText = new WeakMap<Row, string>();

function rowSearchText(row: Row): string {
  let text = searchText.get(row);
  if (text === undefined) {
    text = row.map((cell) => (cell === null ? '' : cell.toLowerCase())).join('\u0000');
    searchText.set(row, text);
  }
  return text;
}

/** Case-insensitive substring match over every cell; a NULL holds no text, so it matches nothing. */
export function rowMatches(row: Row, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  return needle === '' || rowSearchText(row).includes(needle);
}

/** Positions (into `rows`) of the rows to show, filtered and then sorted; the sort is stable. */
export function visibleRows(rows: readonly Row[], columns: readonly ResultColumn[], sort: SortState | undefined, filter: string): number[] {
  const order: number[] = [];
  const needle = filter.trim().toLowerCase();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row && (needle === '' || rowSearchText(row).includes(needle))) order.push(i);
  }
  const column = sort && columns[sort.column];
  if (!sort || !column) return order;
  const numeric = isNumericType(column.type);
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const cell = (i: number): string | null => rows[i]?.[sort.column] ?? null;
  return order.sort((i, j) => sign * compareCells(cell(i), cell(j), numeric));
}

// ---- What the view remembers across being hidden and shown (vscode.setState). ----

export interface StatementMemory {
  sort?: SortState;
  filter?: string;
  scrollTop?: number;
  scrollLeft?: number;
}

export interface ViewMemory {
  selectedId?: string;
  historyOpen?: boolean;
  statements: Record<string, StatementMemory>;
}

function parseSort(value: unknown): SortState | undefined {
  if (!isObject(value)) return undefined;
  const { column, direction } = value;
  if (typeof column !== 'number' || !Number.isInteger(column) || column < 0) return undefined;
  return direction === 'ascending' || direction === 'descending' ? { column, direction } : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Whatever getState() returned, read as the view's memory (an older or foreign shape gives defaults). */
export function parseMemory(value: unknown): ViewMemory {
  const memory: ViewMemory = { statements: {} };
  if (!isObject(value)) return memory;
  if (typeof value['selectedId'] === 'string') memory.selectedId = value['selectedId'];
  if (typeof value['historyOpen'] === 'boolean') memory.historyOpen = value['historyOpen'];
  const statements = value['statements'];
  if (isObject(statements)) {
    for (const [id, entry] of Object.entries(statements)) {
      if (!isObject(entry)) continue;
      const remembered: StatementMemory = {};
      const sort = parseSort(entry['sort']);
      if (sort) remembered.sort = sort;
      if (typeof entry['filter'] === 'string') remembered.filter = entry['filter'];
      const top = finite(entry['scrollTop']);
      if (top !== undefined) remembered.scrollTop = top;
      const left = finite(entry['scrollLeft']);
      if (left !== undefined) remembered.scrollLeft = left;
      memory.statements[id] = remembered;
    }
  }
  return memory;
}

/** The memory kept only for the statements still shown, so it does not grow run after run. */
export function pruneMemory(memory: ViewMemory, statements: readonly StatementView[]): ViewMemory {
  const kept: Record<string, StatementMemory> = {};
  for (const s of statements) {
    const entry = memory.statements[s.id];
    if (entry) kept[s.id] = entry;
  }
  const selectedId = statements.some((s) => s.id === memory.selectedId) ? memory.selectedId : statements[0]?.id;
  const next: ViewMemory = { statements: kept };
  if (selectedId !== undefined) next.selectedId = selectedId;
  if (memory.historyOpen !== undefined) next.historyOpen = memory.historyOpen;
  return next;
}

// ---- Wording shared by the tab headers and the announcements. ----

export function firstLine(sql: string): string {
  const line =
    sql
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('--')) ?? sql.trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

// ---- The history: each run by its SQL, searchable. ----

/** A run's title in the history: its SQL's first line, or where it came from when it has none. */
export function historyTitle(run: RunSummary): string {
  const sql = run.sql === undefined ? '' : firstLine(run.sql);
  return sql !== '' ? sql : run.source || 'Run';
}

/** The runs whose SQL, source, target or status contain every word of the query (any case). */
export function filterHistory(runs: readonly RunSummary[], query: string): RunSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return runs.slice();
  return runs.filter((run) => {
    const text = [run.sql ?? '', run.source, run.target, run.status].join('\n').toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

export function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

/** "3 rows", "500+ rows" while more can be loaded, or a DML statement's affected rows. */
export function rowSummary(statement: StatementView): string | undefined {
  if (statement.columns.length === 0) {
    if (statement.rowCount === undefined || statement.status !== 'done') return undefined;
    return `${plural(statement.rowCount, 'row')} affected`;
  }
  const count = Math.max(statement.rowCount ?? 0, statement.rows.length);
  return statement.hasMore ? `${count.toLocaleString('en-US')}+ rows` : plural(count, 'row');
}

/** What the live region says when a statement reaches an end state, or undefined. */
export function announcement(statement: StatementView, previous: StatementView | undefined): string | undefined {
  if (statement.status === 'running' || previous?.status === statement.status) return undefined;
  const which = `Statement ${statement.index + 1}`;
  switch (statement.status) {
    case 'done': {
      const rows = statement.columns.length > 0 ? rowSummary(statement) : (statement.tag ?? rowSummary(statement));
      return rows ? `${which} finished: ${rows}` : `${which} finished`;
    }
    case 'error': {
      const error = statement.error;
      if (!error) return `${which} failed`;
      return `${which} failed: ${error.code ? `${error.code} ` : ''}${error.message}`;
    }
    case 'cancelled':
      return `${which} cancelled`;
  }
}
