// CockroachDB's jobs, as far as the simulated cluster has them: each schema change a statement
// commits is a job (declarative schema changer: NEW SCHEMA CHANGE), finished by the time the
// statement returns since the simulator applies schema changes at once; a dropped table's data
// also waits for garbage collection (SCHEMA CHANGE GC, running until the GC TTL passes). Read by
// SHOW JOBS, SHOW JOB and crdb_internal.jobs.
import type * as ast from '../../../sql/src/ast';
import { OID } from '../wire/messages';
import type { ClusterContext, SqlSession } from './context';
import type { QueryResult } from './result';
import type { Row } from './showHelpers';

export interface Job {
  id: bigint;
  type: 'NEW SCHEMA CHANGE' | 'SCHEMA CHANGE GC' | 'CREATE STATS' | 'AUTO CREATE STATS';
  description: string;
  statement: string;
  user: string;
  status: 'succeeded' | 'running';
  runningStatus: string | null;
  created: Date;
  finished: Date | null;
  coordinator: number;
}

/** The columns of SHOW JOBS (and of crdb_internal.jobs, which has them first). */
export const JOB_COLUMNS: (string | [string, number])[] = [
  ['job_id', OID.int8],
  'job_type',
  'description',
  'statement',
  'user_name',
  'status',
  'running_status',
  ['created', OID.timestamp],
  ['started', OID.timestamp],
  ['finished', OID.timestamp],
  ['modified', OID.timestamp],
  ['fraction_completed', 700],
  'error',
  ['coordinator_id', OID.int8],
  ['trace_id', OID.int8],
  ['last_run', OID.timestamp],
  ['next_run', OID.timestamp],
  ['num_runs', OID.int8],
  ['execution_errors', OID.textArray],
];

const jobsOf = new WeakMap<ClusterContext, Job[]>();
/** Schema changes of a session's open transaction: jobs once it commits. */
const pendingOf = new WeakMap<SqlSession, Job[]>();
let lastJobId = 0n;

export function clusterJobs(cluster: ClusterContext): Job[] {
  let jobs = jobsOf.get(cluster);
  if (!jobs) {
    jobs = [];
    jobsOf.set(cluster, jobs);
  }
  return jobs;
}

/** A job ID as CockroachDB makes them (unique_rowid(): time, then the node), always increasing. */
function newJobId(nodeId: number): bigint {
  const units = BigInt(Math.floor((Date.now() - Date.UTC(2015, 0, 1)) * 100));
  const id = (units << 15n) | BigInt(nodeId & 0x7fff);
  lastJobId = id > lastJobId ? id : lastJobId + 1n;
  return lastJobId;
}

/** Whether CockroachDB runs the statement as a schema change job. */
function schemaChangeOf(statement: ast.Statement): boolean {
  switch (statement.type) {
    case 'create-index':
      return true;
    case 'alter-table':
      return !statement.commands.every((c) => c.kind === 'configure-zone' || c.kind === 'owner');
    case 'alter-database':
      // Region changes rewrite the region enum and the tables using it; a rename or a new owner
      // changes the descriptor only.
      return statement.action !== undefined && !['configure-zone', 'rename', 'owner'].includes(statement.action.kind);
    case 'other': {
      if (statement.drop) return statement.drop.object !== 'role' && statement.drop.object !== 'user';
      const words = statement.keywords;
      return ['alter index', 'alter type', 'alter view', 'alter sequence', 'comment on'].some(
        (prefix) => words === prefix || words.startsWith(`${prefix} `),
      );
    }
    default:
      return false;
  }
}

/**
 * Called after each statement a session runs: a schema change that took effect becomes a job
 * (at once, or when its transaction commits); a rollback forgets the transaction's.
 */
export function noteStatementForJobs(
  session: SqlSession & { status: string },
  statement: ast.Statement | undefined,
  text: string,
  result: QueryResult,
): void {
  if (!statement) return;
  if (statement.type === 'other' && (statement.kind === 'commit' || statement.kind === 'rollback')) {
    // ROLLBACK TO SAVEPOINT keeps the transaction (and, simply, the schema changes before it).
    if (statement.kind === 'rollback' && statement.keywords.split(' ').includes('to')) return;
    const pending = pendingOf.get(session) ?? [];
    pendingOf.delete(session);
    if (statement.kind === 'commit' && !result.error && result.tag === 'COMMIT') commit(session, pending);
    return;
  }
  if (result.error || !schemaChangeOf(statement)) return;
  const jobs = jobsFor(session, statement, text);
  if (session.status === 'I') commit(session, jobs);
  else pendingOf.set(session, [...(pendingOf.get(session) ?? []), ...jobs]);
}

function jobsFor(session: SqlSession, statement: ast.Statement, text: string): Job[] {
  const now = new Date();
  const job: Job = {
    id: newJobId(session.nodeId),
    type: 'NEW SCHEMA CHANGE',
    description: text,
    statement: text,
    user: session.user,
    status: 'succeeded',
    runningStatus: null,
    created: now,
    finished: now,
    coordinator: session.nodeId,
  };
  const jobs = [job];
  const drop = statement.type === 'other' ? statement.drop : undefined;
  if (drop && ['table', 'database', 'index', 'materialized view'].includes(drop.object)) {
    jobs.push({
      ...job,
      id: newJobId(session.nodeId),
      type: 'SCHEMA CHANGE GC',
      description: `GC for ${text}`,
      statement: '',
      status: 'running',
      runningStatus: 'waiting for MVCC GC',
      finished: null,
    });
  }
  return jobs;
}

function commit(session: SqlSession, jobs: Job[]): void {
  const now = new Date();
  const all = clusterJobs(session.cluster);
  for (const job of jobs) {
    job.created = now;
    if (job.finished) job.finished = now;
    all.push(job);
  }
}

function timestamp(date: Date | null): string | null {
  return date ? date.toISOString().replace('T', ' ').replace('Z', '') : null;
}

export function jobRow(job: Job): Row {
  const created = timestamp(job.created);
  return [
    String(job.id),
    job.type,
    job.description,
    job.statement,
    job.user,
    job.status,
    job.runningStatus,
    created,
    created,
    timestamp(job.finished),
    timestamp(job.finished) ?? created,
    job.status === 'succeeded' ? '1' : '0',
    '',
    String(job.coordinator),
    null,
    created,
    null,
    '1',
    '{}',
  ];
}

/** A finished job the cluster ran on its own or for a statement (statistics collections, statistics.ts). */
export function recordFinishedJob(
  cluster: ClusterContext,
  job: Pick<Job, 'type' | 'description' | 'statement' | 'user' | 'coordinator'> & { at: Date },
): void {
  const { at, ...rest } = job;
  clusterJobs(cluster).push({
    ...rest,
    id: newJobId(job.coordinator),
    status: 'succeeded',
    runningStatus: null,
    created: at,
    finished: at,
  });
}

/** SHOW AUTOMATIC JOBS: the jobs CockroachDB starts on its own (automatic statistics collections). */
export function automaticJobs(cluster: ClusterContext): Job[] {
  return clusterJobs(cluster).filter((job) => job.type === 'AUTO CREATE STATS');
}

/** SHOW JOBS: jobs that are not automatic, running first, then by when they finished (within 12 h). */
export function shownJobs(cluster: ClusterContext): Job[] {
  const horizon = Date.now() - 12 * 3_600_000;
  return clusterJobs(cluster)
    .filter((job) => job.type !== 'AUTO CREATE STATS')
    .filter((job) => job.finished === null || job.finished.getTime() > horizon)
    .sort((a, b) => {
      const fa = a.finished?.getTime() ?? Number.POSITIVE_INFINITY;
      const fb = b.finished?.getTime() ?? Number.POSITIVE_INFINITY;
      return fb - fa || b.created.getTime() - a.created.getTime() || (b.id > a.id ? 1 : -1);
    });
}
