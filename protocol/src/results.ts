// Messages between the extension host and the results view, written once and imported by both
// sides. Rows travel as text (as PostgreSQL's text format gives them), NULL as null.

export interface ResultColumn {
  name: string;
  /** The column's type as CockroachDB names it, e.g. INT8, STRING, TIMESTAMPTZ, JSONB. */
  type: string;
}

export interface ResultError {
  /** SQLSTATE, when the server sent one. */
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
  /** 1-based line and column of the error in the source file, when the server gave a position. */
  line?: number;
  column?: number;
}

export type StatementStatus = 'running' | 'done' | 'error' | 'cancelled';

/** A message the server sent with a statement's result, as psql shows it (`WARNING: …`). */
export interface Notice {
  /** As the server labels it: NOTICE, WARNING, INFO… */
  severity: string;
  message: string;
}

/** One statement of a run, as the view shows it: a tab of its own. */
export interface StatementView {
  /** Unique across runs. */
  id: string;
  runId: string;
  /** Position of the statement in its run (0-based). */
  index: number;
  statement: string;
  /** 1-based line of the statement in its source. */
  line: number;
  status: StatementStatus;
  columns: ResultColumn[];
  /** The rows loaded so far (the first page; more arrive with `rows` messages). */
  rows: (string | null)[][];
  /** More rows can be fetched on demand. */
  hasMore: boolean;
  /** Command tag, e.g. `SELECT 3`, `INSERT 0 1`, `CREATE TABLE`. */
  tag?: string;
  /** Rows affected (DML) or rows returned so far (queries). */
  rowCount?: number;
  elapsedMs?: number;
  /** Latency the simulated cluster reports for the statement (gateway to leaseholders and quorum). */
  simulatedLatencyMs?: number;
  notices: Notice[];
  /** Something the view should say about how the statement ran (e.g. "retried twice after a 40001 error"). */
  note?: string;
  error?: ResultError;
}

export interface RunSummary {
  runId: string;
  /** The target's display name, e.g. "Simulated cluster" or a connection profile's name. */
  target: string;
  /** Where the SQL came from, e.g. `schema.sql:12` or `lesson.md: block 3`. */
  source: string;
  /** The run's SQL (its statements, cut at a few thousand characters): the history shows and searches it. */
  sql?: string;
  startedAt: number;
  statements: number;
  status: 'running' | 'done' | 'error' | 'cancelled';
}

/** host → results view */
export type ResultsToWebview =
  | { type: 'run-started'; run: RunSummary }
  | { type: 'run-finished'; run: RunSummary }
  /** A statement's result, new or replacing the one with the same id. */
  | { type: 'statement'; statement: StatementView }
  /** More rows for a statement, appended to what it has. */
  | { type: 'rows'; id: string; rows: (string | null)[][]; hasMore: boolean; rowCount: number }
  /** The runs of this session, newest first (for the history list). */
  | { type: 'history'; runs: RunSummary[] }
  /** Shows one run (after a click in the history). */
  | { type: 'show-run'; runId: string; statements: StatementView[] };

/** results view → host */
export type ResultsToHost =
  | { type: 'ready' }
  | { type: 'load-more'; id: string }
  | { type: 'cancel'; runId: string }
  | { type: 'rerun'; runId: string }
  | { type: 'open-run'; runId: string }
  /** Export a statement's rows: everything, not only what the view has loaded. */
  | { type: 'export'; id: string; format: 'csv' | 'json' }
  | { type: 'copy'; text: string }
  /** Jump to the statement's line in its source. */
  | { type: 'reveal'; id: string };

export function isResultsToHost(value: unknown): value is ResultsToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return true;
    case 'load-more':
    case 'reveal':
      return typeof m.id === 'string';
    case 'cancel':
    case 'rerun':
    case 'open-run':
      return typeof m.runId === 'string';
    case 'export':
      return typeof m.id === 'string' && (m.format === 'csv' || m.format === 'json');
    case 'copy':
      return typeof m.text === 'string';
    default:
      return false;
  }
}
