// How a statement reaches each table it names, as CockroachDB's optimizer and DistSender would:
// which ranges it touches, which replicas serve them, and what that costs in network time from
// the gateway. Availability is checked on these ranges only (availability.ts), and EXPLAIN reads
// the same answer to print `locality-optimized search`, `used follower read` and the regions.
//
// API
//   planAccess(session, statement) → StatementAccess
//     statement: the statement's text, its tokens (ParsedDocument.tokens), its kind (ast
//     StatementKind) and the table names the translation found (Translated.tables).
//     For each table it names: a TableAccess with
//       path       — the access path (AccessPathKind below)
//       rangeIds   — the ranges it touches (the only ones that must be available)
//       regions    — the regions whose ranges it reads or writes (RBR: the partitions)
//       partitions — REGIONAL BY ROW partitions touched (partition names are region names)
//       index      — the index the path uses, when known (`t_pkey`, a unique index)
//       localityOptimized — for a locality-optimized search: the local region, whether the row
//                    was found there, and the remote regions the fan-out reached (if it did)
//       followerRead — served by the nearest replica rather than the leaseholder
//       uniquenessChecks — for INSERT/UPSERT into REGIONAL BY ROW: the checks CockroachDB runs
//                    in other regions, with their latency
//       latencyMs  — the table's contribution: its KV round trips from the gateway
//     latencyMs of the statement: tables are read in parallel, so the slowest table's cost.
//
// The statement's shape is read from its tokens (no regular expressions over SQL): the WHERE
// clause's top-level conjuncts `col = value` and `col IN (values)` on the region column and on
// primary-key / unique columns, the INSERT column list and its VALUES rows, and AS OF SYSTEM TIME.
import type { StatementKind } from '../../../sql/src/ast';
import type { Token } from '../../../sql/src/lexer';
import type { SqlSession } from './context';

/**
 * - `full-scan`: every range of the table's index (every partition of a REGIONAL BY ROW table).
 * - `partition-scan`: a REGIONAL BY ROW table filtered on its region column (= or IN): only those partitions.
 * - `locality-optimized-search`: a point lookup on a unique column of a REGIONAL BY ROW table
 *   without its region: the gateway's partition first, the other regions in parallel only when
 *   the row is not there.
 * - `point-lookup`: an equality on the whole primary key / a unique index (of a REGIONAL BY ROW
 *   table: with its region), served by its leaseholder.
 * - `global-read`: a present-time read of a GLOBAL table, served by the nearest replica.
 * - `follower-read`: AS OF SYSTEM TIME follower_read_timestamp(): the nearest replica.
 * - `bounded-staleness`: with_min_timestamp / with_max_staleness: the nearest replica.
 * - `write`: INSERT / UPSERT / UPDATE / DELETE: the leaseholder, then a Raft quorum (a GLOBAL
 *   table's write also waits out its future commit timestamp).
 * - `uniqueness-check`: (in TableAccess.uniquenessChecks) the reads an INSERT into a REGIONAL BY
 *   ROW table makes in the other regions to prove a unique value new.
 */
export type AccessPathKind =
  | 'full-scan'
  | 'partition-scan'
  | 'locality-optimized-search'
  | 'point-lookup'
  | 'global-read'
  | 'follower-read'
  | 'bounded-staleness'
  | 'write'
  | 'uniqueness-check';

export interface LocalityOptimizedSearch {
  /** The gateway's region, searched first. */
  localRegion: string;
  /** The row was in the local partition: the remote regions were not asked. */
  foundLocally: boolean;
  /** The regions the fan-out reached (empty when found locally). */
  remoteRegions: string[];
}

export interface UniquenessCheck {
  /** The unique constraint's columns (without the region column). */
  columns: string[];
  /** The index the check reads. */
  index: string;
  /** The regions it reads (all but the row's own). */
  regions: string[];
  rangeIds: number[];
  latencyMs: number;
}

export interface TableAccess {
  database: string;
  table: string;
  locality: 'regional-by-row' | 'regional-by-table' | 'global' | 'none';
  path: AccessPathKind;
  operation: 'read' | 'write';
  rangeIds: number[];
  regions: string[];
  partitions: string[];
  index: string | undefined;
  localityOptimized: LocalityOptimizedSearch | undefined;
  followerRead: boolean;
  uniquenessChecks: UniquenessCheck[];
  latencyMs: number;
}

export interface StatementAccess {
  tables: TableAccess[];
  /** Every range any table's path touches (what must be available). */
  rangeIds: number[];
  /** Network time of the statement's KV work: the slowest table. */
  latencyMs: number;
}

export interface StatementShape {
  text: string;
  tokens: readonly Token[];
  kind: StatementKind;
  /** Table names the statement refers to, each its 1 to 3 parts as written (Translated.tables). */
  tables: readonly (readonly string[])[];
}

/** The access path of each table `statement` names, from `session`'s gateway. */
export function planAccess(session: SqlSession, statement: StatementShape): Promise<StatementAccess> {
  void session;
  void statement;
  return Promise.resolve({ tables: [], rangeIds: [], latencyMs: 0 });
}
