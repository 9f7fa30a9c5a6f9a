// What the cluster is doing: SHOW JOBS / SHOW JOB, SHOW SESSIONS, SHOW QUERIES (STATEMENTS), SHOW
// LOCALITY, in CockroachDB's shapes. The simulator runs one statement at a time, so the only
// active query is the one asking.
import type * as ast from '../../../sql/src/ast';
import { lex } from '../../../sql/src/lexer';
import { OID } from '../wire/messages';
import type { SqlSession } from './context';
import { notSimulated } from './errors';
import { JOB_COLUMNS, jobRow, shownJobs, clusterJobs, type Job } from './jobs';
import { rowsResult, type QueryResult } from './result';
import { nodeLocality } from './showRanges';
import type { Row } from './showHelpers';
import { isPrivileged, knownUsers } from './users';

/** The words and numbers after the subject, lower-cased (what the parser left unread). */
function trailingWords(sql: string, show: ast.Show): string[] {
  if (!show.trailing) return [];
  const text = sql.slice(show.trailing.start - show.start, show.trailing.end - show.start);
  return lex(text)
    .tokens.filter((t) => !(t.kind === 'punct' && t.value === ';'))
    .map((t) => (t.kind === 'ident' ? t.value : t.kind === 'number' ? t.value : `\u0000${t.value}`));
}

/**
 * Whether the session's user sees every user's jobs and sessions (an admin does; others, without
 * VIEWJOB or VIEWACTIVITY, which the simulator does not grant, see their own).
 */
export async function seesEveryone(session: SqlSession): Promise<boolean> {
  return isPrivileged(await knownUsers(session.cluster.catalog, session.cluster.engine), session.user);
}

/** The cluster's jobs the session's user may see. */
export async function visibleJobs(session: SqlSession, jobs: readonly Job[]): Promise<Job[]> {
  return (await seesEveryone(session)) ? [...jobs] : jobs.filter((job) => job.user === session.user);
}

/** SHOW JOBS [WHEN COMPLETE] <query>: the jobs whose IDs the query selected (all finished: nothing to wait for). */
export async function showJobsWithIds(session: SqlSession, sql: string, ids: ReadonlySet<string>): Promise<QueryResult> {
  const jobs = (await visibleJobs(session, clusterJobs(session.cluster))).filter((job) => ids.has(String(job.id)));
  return rowsResult(sql, JOB_COLUMNS, jobs.map(jobRow));
}

/** SHOW [AUTOMATIC] JOBS, SHOW JOB [WHEN COMPLETE] <id>, SHOW JOBS [WHEN COMPLETE] <id>, …. */
export async function showJobs(session: SqlSession, sql: string, show: ast.Show): Promise<QueryResult> {
  const words = trailingWords(sql, show);
  if (words[0] === 'when' && words[1] === 'complete') words.splice(0, 2);
  if (show.subject === 'jobs' && words.length === 0)
    return rowsResult(sql, JOB_COLUMNS, (await visibleJobs(session, shownJobs(session.cluster))).map(jobRow));
  // Finished jobs only: nothing to wait for when complete is asked.
  const ids = words.filter((w, i) => (i % 2 === 0 ? /^\d+$/.test(w) : w === '\u0000,'));
  if (ids.length === 0 || ids.length * 2 - 1 !== words.length) throw notSimulated(sql.toUpperCase());
  const wanted = new Set(ids.filter((w) => /^\d+$/.test(w)));
  const jobs = (await visibleJobs(session, clusterJobs(session.cluster))).filter((job) => wanted.has(String(job.id)));
  return rowsResult(sql, JOB_COLUMNS, jobs.map(jobRow));
}

/** The statement a session is running, when a SHOW runs inside it as a data source. */
const outerStatements = new WeakMap<SqlSession, string>();

/** Runs `work` with `statement` as the session's active query (the outer statement of a `[SHOW …]`). */
export async function whileRunning<T>(session: SqlSession, statement: string, work: () => Promise<T>): Promise<T> {
  const outer = outerStatements.get(session);
  if (outer === undefined) outerStatements.set(session, statement);
  try {
    return await work();
  } finally {
    if (outer === undefined) outerStatements.delete(session);
  }
}

function activeQuery(session: SqlSession, sql: string): string {
  return outerStatements.get(session) ?? sql;
}

/** A session ID as CockroachDB prints it: 32 hex digits (its start time, then the node). */
function sessionId(session: SqlSession): string {
  const started = session.connectedAt?.getTime() ?? 0;
  return `${(BigInt(started) * 1_000_000n).toString(16).padStart(16, '0')}${(session.id ?? 0).toString(16).padStart(8, '0')}${session.nodeId.toString(16).padStart(8, '0')}`;
}

function timestamp(date: Date | undefined): string | null {
  return date ? date.toISOString().replace('T', ' ').replace('Z', '') : null;
}

async function sessionsOf(session: SqlSession, cluster: boolean): Promise<SqlSession[]> {
  const all = [...(session.cluster.sessions ?? [session])].filter((s) => !s.closed);
  if (!all.includes(session)) all.push(session);
  const everyone = await seesEveryone(session);
  return all
    .filter((s) => (cluster || s.nodeId === session.nodeId) && (everyone || s.user === session.user))
    .sort((a, b) => a.nodeId - b.nodeId || (a.id ?? 0) - (b.id ?? 0));
}

/** SHOW [CLUSTER | LOCAL] SESSIONS. */
export async function showSessions(session: SqlSession, sql: string, cluster: boolean): Promise<QueryResult> {
  const now = timestamp(new Date());
  const rows: Row[] = (await sessionsOf(session, cluster)).map((s) => {
    const asking = s === session;
    return [
      String(s.nodeId),
      sessionId(s),
      asking ? 'ACTIVE' : 'IDLE',
      s.user,
      null,
      s.applicationName ?? '',
      asking ? activeQuery(s, sql) : '',
      asking ? null : '',
      timestamp(s.connectedAt),
      asking ? now : null,
      '0',
      null,
      null,
    ];
  });
  return rowsResult(
    sql,
    [
      ['node_id', OID.int8],
      'session_id',
      'status',
      'user_name',
      'client_address',
      'application_name',
      'active_queries',
      'last_active_query',
      ['session_start', OID.timestamp],
      ['active_query_start', OID.timestamp],
      ['num_txns_executed', OID.int8],
      ['trace_id', OID.int8],
      ['goroutine_id', OID.int8],
    ],
    rows,
  );
}

/** SHOW [CLUSTER | LOCAL] QUERIES / STATEMENTS: only the asking statement runs. */
export function showQueries(session: SqlSession, sql: string): QueryResult {
  const row: Row = [
    `${sessionId(session).slice(0, 24)}${'0'.repeat(8)}`,
    String(session.nodeId),
    sessionId(session),
    session.user,
    timestamp(new Date()),
    activeQuery(session, sql),
    null,
    session.applicationName ?? '',
    'f',
    'f',
    'executing',
  ];
  return rowsResult(
    sql,
    [
      'query_id',
      ['node_id', OID.int8],
      'session_id',
      'user_name',
      ['start', OID.timestamp],
      'query',
      'client_address',
      'application_name',
      ['distributed', OID.bool],
      ['full_scan', OID.bool],
      'phase',
    ],
    [row],
  );
}

/** SHOW LOCALITY: the gateway node's locality. */
export function showLocality(session: SqlSession, sql: string): QueryResult {
  return rowsResult(sql, ['locality'], [[nodeLocality(session.cluster, session.nodeId) ?? '']]);
}
