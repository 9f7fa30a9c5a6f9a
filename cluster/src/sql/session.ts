// One client connection to the simulated cluster: its gateway node, current database, session
// variables and transaction. Each statement is either answered by the simulator (cluster,
// region and introspection statements) or translated and run on the shared engine.
import type * as ast from '../../../sql/src/ast';
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent, quoteLiteral } from '../../../sql/src/names';
import { parseDocument, type ParsedDocument } from '../../../sql/src/parser';
import { scanStatementRanges } from '../../../sql/src/statementRanges';
import { extendedQueryMessages, queryMessage, type BoundParameters, type ErrorFields, type TransactionStatus } from '../wire/messages';
import { checkRanges } from './availability';
import { setClusterSetting } from './clusterSettings';
import { restoreCatalog, saveCatalog, type Catalog, type SavedCatalog, type TableMeta } from './catalog';
import type { ClusterContext, SqlSession } from './context';
import { fillCrdbInternal } from './crdbInternal';
import { fillZoneConfigProblems, resetMultiRegionZoneBuiltin } from './multiRegionZones';
import { isShellWord, runShellCommand } from './shellCommands';
import { queryWrites } from './statementWrites';
import { evaluateZoneValues } from './zoneValues';
import { alterDatabase, createDatabase } from './databaseRegions';
import { alterTableLocality, configureZone, dropDatabase, tableLocalityOnCreate } from './ddl';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { translateDropIndex } from './dropIndex';
import { renameIndexInCatalog, translateAlterIndex } from './alterIndex';
import { changeVisibility, setEngineVisibility } from './indexVisibility';
import { freeIndexName, indexBaseName, indexNames } from './indexNames';
import { engineIndexName, engineNamesForTable, indexBackedNames } from './engineIndexNames';
import {
  alterIndexPartitionBy,
  alterTablePartitionBy,
  applyIndexPartitioning,
  applyPartitionings,
  forgetDroppedIndexes,
  partitioningOnCreateIndex,
  partitioningsOnCreate,
  partitionNotice,
  refuseOnPartitionedPrimaryKey,
  renamePartitionColumns,
} from './partitionDdl';
import { showAsCockroachDB } from './hiddenColumns';
import { cockroachPrivilegeError, roleSwitchError } from './privileges';
import { answerRoleStatement, checkStatementPrivileges, grantOrRevoke, ownCreatedDatabase } from './grants';
import { cockroachEngineError } from './engineErrors';
import { checkNaming, checkViolation, recordedChecks, renameInChecks } from './showConstraints';
import { alterStorageParams, EXPIRATION_COLUMN, expireAfter } from './storageParams';
import { introspect } from './introspection';
import { pruneHistorySometimes, schemaHistoryOf } from './history';
import { isWord, tokensOf } from './rewrite';
import { hideHistoricalColumns, historicalTranslation, preparedHistorical } from './timeTravel';
import { TransactionState } from './transactionState';
import { checkPriority, checkReadOnly, checkTransactionEnd, showTransaction, transactionStatement } from './transactions';
import { noteStatementForJobs } from './jobs';
import { collectDueStatistics, noteStatementForStatistics, statisticsStatement } from './statistics';
import { refuseRegionEnumChange } from './regionEnum';
import { checkTemporaryTable } from './temporaryTables';
import { autoRehoming, DEFAULT_REGION_COLUMN, refuseDroppingRegionColumn, rehomeTriggerSql } from './regionalByRow';
import { expandStatementSources } from './statementSources';
import { decodeEngineOutput, emptyResult, notice, rowsResult, type QueryResult } from './result';
import { AUTOCOMMIT_BEFORE_DDL_SETTING, AUTOCOMMIT_NOTICE, autocommitsBeforeDdl, modifiesSchema } from './autocommitBeforeDdl';
import {
  databaseOf,
  forgetDroppedTables,
  newestIndexName,
  shardingOfNewIndex,
  registerTable,
  renameTable,
  resolveTable,
  tableColumns,
  namesVirtualTable,
  tablesNamed,
  engineRelation,
  engineNameOnTable,
} from './tables';
import { currentPrimaryKey, planPrimaryKeyChange, primaryKeyCommand, type PrimaryKeyCommand } from './primaryKeyChange';
import { explainStatement } from './explainStatement';
import {
  addsConstraintIfNotExists,
  addsUnnamedCheck,
  rewriteGeneral,
  translateAlterTable,
  constraintNameTokens,
  translateCreateIndex,
  translateCreateTable,
  translateUpsert,
} from './translate';
import { changesRoles, isPrivileged, knownUsers, refreshUsers } from './users';

export interface SessionOptions {
  user?: string;
  database?: string;
  nodeId?: number;
  applicationName?: string;
}

/** Statements CockroachDB answers with "not simulated" here, by their leading keywords. */
const NOT_SIMULATED_PREFIXES = [
  'import',
  'export',
  'backup',
  'restore',
  'create changefeed',
  'experimental changefeed',
  // Schema changes finish within their statement here: no job is ever left to pause or resume.
  'pause',
  'resume',
  'cancel',
];

/** Session variables CockroachDB has and PostgreSQL does not: kept here, shown by SHOW. */
const CRDB_SESSION_DEFAULTS: [string, string][] = [
  ['sql_safe_updates', 'off'],
  ['default_transaction_isolation', 'serializable'],
  ['default_int_size', '8'],
  ['serial_normalization', 'rowid'],
  ['experimental_enable_hash_sharded_indexes', 'on'],
  ['vectorize', 'on'],
  ['distsql', 'auto'],
  ['enable_implicit_select_for_update', 'on'],
  ['default_transaction_use_follower_reads', 'off'],
  ['default_transaction_priority', 'normal'],
  ['enable_multiregion_placement_policy', 'off'],
  ['override_multi_region_zone_config', 'off'],
  ['autocommit_before_ddl', 'on'],
  ['locality_optimized_partitioned_index_scan', 'on'],
  ['intervalstyle_enabled', 'on'],
  // SET tracing is kept; what a trace would show (SHOW TRACE / KV TRACE) is not simulated and says so.
  ['tracing', 'off'],
  // crdb-studio's own: a NOTICE with each statement's simulated latency (the editor turns it on).
  ['crdb_studio_report_latency', 'off'],
  // PostgreSQL has it too, but set on the shared engine it would end every client's session:
  // the session keeps it and ends itself (see startIdleTimer).
  ['idle_in_transaction_session_timeout', '0'],
];

/** A duration setting's value in ms: a bare number is ms; units us, ms, s, min, h. Undefined if unreadable. */
export function durationMs(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|sec|min|h)?\s*$/i.exec(value);
  if (!match) return undefined;
  const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000, sec: 1000, min: 60_000, h: 3_600_000 };
  return Math.round(Number(match[1]) * (scale[(match[2] ?? 'ms').toLowerCase()] ?? 1));
}

import { effectiveIsolation } from './isolation';
export { effectiveIsolation };

let nextSessionId = 1;
/** Statements that read or write data: a transaction that ran one has its priority fixed. */
const DATA_KINDS = new Set<ast.StatementKind>(['select', 'insert', 'update', 'delete', 'upsert']);

/** After RELEASE SAVEPOINT cockroach_restart only the transaction's end (or a look at its status) is accepted. */
function endsCommitted(statement: ast.Statement | undefined): boolean {
  if (statement?.type !== 'other') return false;
  return statement.kind === 'commit' || statement.kind === 'rollback' || statement.show?.subject === 'transaction status';
}

/** RELEASE SAVEPOINT cockroach_restart: CockroachDB commits the transaction there. */
function releasesRestart(document: ParsedDocument): boolean {
  const words = document.tokens.filter((t) => t.kind === 'ident' || t.kind === 'qident').map((t) => t.value.toLowerCase());
  return words[0] === 'release' && words[words.length - 1] === 'cockroach_restart';
}

export class Session implements SqlSession {
  readonly id = nextSessionId++;
  readonly connectedAt = new Date();
  database: string;
  readonly user: string;
  nodeId: number;
  applicationName: string;
  status: TransactionStatus = 'I';
  readonly vars = new Map<string, string>(CRDB_SESSION_DEFAULTS);
  /** SET statements the engine understood, replayed when the engine switches to this session. */
  readonly engineSettings = new Map<string, string>();
  isolation = 'serializable';
  /** Priority, read time and read mode of the open transaction (see transactions.ts). */
  readonly txn = new TransactionState();
  lastLatencyMs = 0;
  /** The client went away (or the session was ended): nothing more of it reaches the engine. */
  closed = false;
  /** Called when the session ends itself (idle-in-transaction timeout), with the FATAL error to send. */
  onTerminated: ((error: ErrorFields) => void) | undefined;
  /** The session's engine work (requests, preemption, close), one at a time and in order. */
  private tail: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  /** Why a closed session refuses statements. */
  private closedBy: SqlError = new SqlError('08003', 'connection is closed');
  /** Whether this session holds the engine (it acquired it and has not released it). */
  private holding = false;
  /** Its transaction was aborted while it held the engine too long: what its client sees next. */
  private abortedBy: SqlError | undefined;
  private abortReported = false;
  private idleTimer: NodeJS.Timeout | undefined;
  /** What SET LOCAL changed in the open transaction: each variable's value before it, put back when the transaction ends. */
  private readonly localVariables = new Map<string, string>();
  /** The values bound to the statement being run (see execute). */
  private parameters: BoundParameters | undefined;
  /** The simulator checked the running statement's CockroachDB privileges: the engine runs it as its superuser. */
  systemWork = false;
  /** A statement changed users or roles: they are read again once its transaction ends. */
  private rolesChanged = false;
  /**
   * The catalog as it was before the open transaction first changed it: a ROLLBACK (or an abort)
   * puts it back, as the engine undoes the transaction's tables and rows.
   */
  private catalogBeforeTransaction: SavedCatalog | undefined;
  /** Tables written in the open transaction (see wrote). */
  private writtenInTransaction: Set<TableMeta> | 'all' = new Set();

  constructor(
    readonly cluster: ClusterContext,
    options: SessionOptions,
  ) {
    this.user = options.user ?? 'root';
    this.database = options.database ?? 'defaultdb';
    this.nodeId = options.nodeId ?? 1;
    this.applicationName = options.applicationName ?? '';
    // A new session's autocommit_before_ddl comes from the cluster's default for it.
    const autocommit = cluster.catalog.clusterSettings.get(AUTOCOMMIT_BEFORE_DDL_SETTING);
    if (autocommit !== undefined) this.vars.set('autocommit_before_ddl', sessionVarValue('on', autocommit));
  }

  /**
   * Runs a simple-protocol query: its statements in order, stopping at the first error. With
   * parameters (an extended-protocol Bind), the one statement goes to the engine with them as
   * real parameters.
   */
  execute(sql: string, parameters?: BoundParameters, onResult?: (result: QueryResult) => void): Promise<QueryResult[]> {
    // One request at a time: a second one (or a preemption, or close) waits for the first.
    const run = this.tail.then(async () => {
      this.parameters = parameters && parameters.values.length > 0 ? parameters : undefined;
      try {
        return await this.executeStatements(sql, onResult);
      } finally {
        this.parameters = undefined;
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Runs the request's statements; `onResult` hears each statement's result as soon as it has one. */
  private async executeStatements(sql: string, onResult?: (result: QueryResult) => void): Promise<QueryResult[]> {
    this.stopIdleTimer();
    // A new request: its implicit transaction has not fixed a read time yet.
    this.txn.requestReadAt = undefined;
    // `\! command`: typed into the cluster's lab as one command (heredoc bodies included), never
    // split as SQL, and run without holding the engine: its own connections need it.
    if (sql.trimStart().startsWith('\\!')) return [await this.shellEscape(sql.trim(), onResult)];
    const statements = splitStatements(sql);
    if (this.closed) return [failed(statements[0]?.text ?? sql, this.closedBy)];
    if (statements.length === 0) return [emptyResult(sql)];
    const results: QueryResult[] = [];
    try {
      for (const statement of statements) {
        // A client that went away mid-request: the rest of its request is not run.
        if (this.isClosed()) break;
        const result = this.abortedBy
          ? this.inAbortedTransaction(statement.text, statement.document, this.abortedBy)
          : await this.runHeld(statement.text, statement.document);
        results.push(result);
        onResult?.(result);
        if (result.error) break;
      }
    } finally {
      if (this.holding && (this.status === 'I' || this.abortedBy)) this.releaseEngine();
      if (!this.isClosed() && this.status !== 'I') this.startIdleTimer();
    }
    return results.length > 0 ? results : [failed(statements[0]?.text ?? sql, this.closedBy)];
  }

  private async shellEscape(text: string, onResult?: (result: QueryResult) => void): Promise<QueryResult> {
    const result = this.closed
      ? failed(text, this.closedBy)
      : this.cluster.runShell
        ? await this.cluster.runShell(this, text)
        : failed(text, new SqlError(SQLSTATE.featureNotSupported, 'shell commands (\\!) are not available on this cluster'));
    onResult?.(result);
    return result;
  }

  /** Read through a call: close() changes it while a request awaits, which narrowing cannot see. */
  private isClosed(): boolean {
    return this.closed;
  }

  /** Runs a statement holding the engine, taking it first (queueing behind another session's transaction). */
  private async runHeld(text: string, document: ParsedDocument): Promise<QueryResult> {
    if (!this.holding) {
      try {
        await this.cluster.acquire(this);
      } catch (error) {
        // Waited too long behind another session's transaction (retryable, as on CockroachDB),
        // or the client went away while it waited.
        return failed(text, error);
      }
      this.holding = true;
      if (this.isClosed()) return failed(text, this.closedBy);
    }
    return this.runOne(text, document);
  }

  /**
   * A statement after the session's transaction was aborted under it: the first one learns why
   * (CockroachDB's retryable error), the rest are ignored until COMMIT or ROLLBACK, which end it
   * here (the engine has nothing left to end). COMMIT never reports success.
   */
  private inAbortedTransaction(text: string, document: ParsedDocument, abortedBy: SqlError): QueryResult {
    const statement = document.statements[0]?.statement;
    const kind = statement?.type === 'other' ? statement.kind : undefined;
    const toSavepoint = statement?.type === 'other' && statement.keywords.split(' ').includes('to');
    if (kind === 'commit' || (kind === 'rollback' && !toSavepoint)) {
      const unreported = kind === 'commit' && !this.abortReported;
      this.abortedBy = undefined;
      this.abortReported = false;
      this.status = 'I';
      return unreported ? failed(text, abortedBy) : emptyResult(text, 'ROLLBACK');
    }
    if (this.abortReported)
      return failed(text, new SqlError('25P02', 'current transaction is aborted, commands ignored until end of transaction block'));
    this.abortReported = true;
    return failed(text, abortedBy);
  }

  /**
   * The engine lock's request: this session held it too long while others waited. Once its
   * running statement is done, its transaction is rolled back and the engine handed on.
   */
  preempt(): void {
    this.tail = this.tail.then(() => this.abortHeldTransaction()).catch(() => undefined);
  }

  private async abortHeldTransaction(): Promise<void> {
    if (this.closed || !this.holding || this.status === 'I') return;
    await this.cluster.engineQuery(this, queryMessage('ROLLBACK')).catch(() => undefined);
    this.transactionEnded(false);
    this.status = 'E';
    this.abortedBy = new SqlError(
      SQLSTATE.serializationFailure,
      'restart transaction: TransactionRetryWithProtoRefreshError: TransactionAbortedError(ABORT_REASON_PUSHER_ABORTED)',
      'See: https://www.cockroachlabs.com/docs/v25.2/transaction-retry-error-reference.html#abort_reason_pusher_aborted',
      'the simulated cluster runs one transaction at a time; this one held it past the bound while other sessions waited, and was aborted',
    );
    this.abortReported = false;
    this.settleAll();
    this.releaseEngine();
  }

  private releaseEngine(): void {
    this.holding = false;
    this.cluster.release(this);
  }

  /** Arms idle_in_transaction_session_timeout while the client is idle inside a transaction. */
  private startIdleTimer(): void {
    this.stopIdleTimer();
    const ms = durationMs(this.vars.get('idle_in_transaction_session_timeout') ?? '0') ?? 0;
    if (ms <= 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      void this.terminate(new SqlError('25P03', 'terminating connection due to idle-in-transaction timeout'));
    }, ms);
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Ends the session from the server side: rolled back, released, and its client told why. */
  private async terminate(reason: SqlError): Promise<void> {
    if (this.closed) return;
    this.closedBy = reason;
    await this.close();
    this.onTerminated?.({ ...reason.fields(), severity: 'FATAL' });
  }

  private async runOne(text: string, document: ParsedDocument): Promise<QueryResult> {
    try {
      const statement = document.statements[0]?.statement;
      const endsTransaction =
        statement?.type === 'other' &&
        (statement.kind === 'commit' || statement.kind === 'rollback' || statement.show?.subject === 'transaction status');
      if (this.status === 'E' && !endsTransaction) {
        throw new SqlError('25P02', 'current transaction is aborted, commands ignored until end of transaction block');
      }
      // A schema change in an explicit transaction first commits it (autocommitBeforeDdl.ts).
      if (this.status === 'T' && statement && modifiesSchema(statement) && autocommitsBeforeDdl(this.vars)) {
        const committed = await this.runOne('COMMIT', parseDocument('COMMIT'));
        if (committed.error) return { ...committed, statement: text };
        const result = await this.runOne(text, document);
        result.notices.unshift(notice(AUTOCOMMIT_NOTICE));
        return result;
      }
      const cluster = this.cluster;
      // With a store, what the catalog and topology say is recorded in the engine transaction
      // that commits the change, so a kill at any moment finds both or neither.
      if (this.status === 'T' && statement?.type === 'other' && statement.kind === 'commit')
        await cluster.saveMetadata({ inTransaction: true });
      const wasInTransaction = this.status !== 'I';
      if (wasInTransaction && statement && this.catalogBeforeTransaction === undefined && mayChangeCatalog(statement))
        this.catalogBeforeTransaction = snapshotCatalog(cluster.catalog);
      let result: QueryResult;
      if (this.status === 'I' && statement && changesCatalog(statement)) {
        try {
          result = await cluster.durably(this, () => this.dispatchKept(text, document), statement.type === 'create-table');
        } finally {
          this.status = 'I';
        }
        this.transactionSettled();
      } else result = await this.dispatchKept(text, document);
      noteStatementForJobs(this, statement, text, result);
      noteStatementForStatistics(this, statement, result);
      if (wasInTransaction && this.status === 'I') {
        const committed = statement?.type === 'other' && statement.kind === 'commit' && !result.error && result.tag === 'COMMIT';
        this.transactionEnded(committed);
        this.restoreLocalVariables();
      }
      if (this.status === 'I') {
        this.txn.ended();
        await cluster.saveMetadata();
      }
      return result;
    } catch (error) {
      if (this.status === 'T') this.status = 'E';
      const result = emptyResult(text);
      result.error =
        error instanceof SqlError
          ? error.fields()
          : {
              severity: 'ERROR',
              code: SQLSTATE.internal,
              message: `internal error: ${error instanceof Error ? error.message : String(error)}`,
            };
      return result;
    } finally {
      this.systemWork = false;
    }
  }

  /** Runs a statement as dispatch does, first refusing what the transaction's state refuses, and keeping its schema history. */
  private async dispatchKept(text: string, document: ParsedDocument): Promise<QueryResult> {
    const statement = document.statements[0]?.statement;
    const warned = checkTransactionEnd(text, this, statement);
    if (warned) return warned;
    checkReadOnly(this, statement, document.tokens);
    if (this.txn.commitWait && !endsCommitted(statement))
      throw new SqlError('25000', 'current transaction is committed, commands ignored until end of transaction block');
    const record = statement ? schemaHistoryOf(this, statement) : undefined;
    const result = await this.dispatch(text, document);
    if (!result.error && record) await record();
    if (!result.error && this.status === 'T' && statement?.type === 'other' && DATA_KINDS.has(statement.kind)) this.txn.running = true;
    if (!result.error && statement?.type === 'other' && statement.kind === 'savepoint' && releasesRestart(document))
      this.txn.commitWait = true;
    if (!result.error && this.status === 'I' && statement?.type === 'other' && statement.kind !== 'select')
      await pruneHistorySometimes(this.cluster);
    return result;
  }

  private async dispatch(text: string, document: ParsedDocument): Promise<QueryResult> {
    const head = document.tokens[0];
    if (!head) return emptyResult(text);
    // The cockroach sql shell's own commands (\dt, \q, \demo …, and quit/exit/help on a line alone).
    if (head.kind === 'command' || isShellWord(text))
      return runShellCommand(this, text, head.kind === 'command' ? head.value : text, (sql) => this.dispatch(sql, parseDocument(sql)));
    const parsed = document.statements[0];
    const statement = parsed?.statement;
    if (!statement) return emptyResult(text);
    const cluster = this.cluster;
    if (statement.type === 'create-role' || (statement.type === 'other' && changesRoles(statement.keywords))) this.rolesChanged = true;
    const answered = await answerRoleStatement(this, text, statement);
    if (answered) return answered;
    this.systemWork = await checkStatementPrivileges(this, statement);
    switch (statement.type) {
      case 'create-database':
        return ownCreatedDatabase(this, statement, await createDatabase(this, text, statement));
      case 'alter-database':
        return alterDatabase(this, text, statement);
      case 'configure-zone':
        return configureZone(this, text, await this.zoneValues(statement.zone));
      case 'use':
        return this.useDatabase(text, statement.database.value);
      case 'set':
        return this.set(text, statement);
      case 'begin':
      case 'set-transaction':
        return this.transactionStatement(text, statement);
      case 'create-table':
        return this.createTable(text, statement, parsed, document.tokens);
      case 'create-index': {
        const table = resolveTable(this, statement.table);
        const base = indexBaseName(statement.table.name.value, statement.index);
        const chosen = table && base !== undefined ? await freeIndexName(cluster, table.database, base, new Set()) : undefined;
        const written = statement.index.name?.value;
        const engineName =
          table && written !== undefined ? await this.engineNameForNewIndex(table, written, statement.ifNotExists) : undefined;
        const translated = translateCreateIndex(text, statement, this, chosen ?? engineName);
        const partitioned = await partitioningOnCreateIndex(this, statement, parsed);
        const result = await this.runEngine(text, translated.sql, []);
        if (!result.error && table) {
          const name = statement.index.name?.value ?? chosen ?? (await newestIndexName(cluster, table));
          if (name)
            table.indexes.set(name, {
              name,
              id: table.nextIndexId++,
              ...(statement.index.notVisible ? { notVisible: true } : {}),
              ...(await shardingOfNewIndex(cluster, table, statement, translated.buckets)),
            });
          if (name) applyIndexPartitioning(table, name, partitioned.partitioning);
          if (name && statement.index.notVisible) await setEngineVisibility(cluster, table, engineName ?? name, false);
          result.notices.push(...partitioned.notices.map(partitionNotice));
          cluster.topologyChanged();
          this.wrote([table]);
        }
        return result;
      }
      case 'alter-table': {
        const zone = statement.commands.find((c) => c.kind === 'configure-zone');
        if (zone?.kind === 'configure-zone')
          return configureZone(
            this,
            text,
            await this.zoneValues({ ...zone.zone, target: { start: 0, end: 0, kind: 'table', name: statement.name } }),
          );
        const locality = statement.commands.find((c) => c.kind === 'set-locality');
        if (locality?.kind === 'set-locality') return alterTableLocality(this, text, statement, locality.locality);
        const partitionBy = statement.commands.find((c) => c.kind === 'partition-by');
        if (partitionBy?.kind === 'partition-by') return alterTablePartitionBy(this, text, statement, partitionBy.partitionBy, parsed);
        const storage = statement.commands.length === 1 ? statement.commands[0] : undefined;
        if (storage?.kind === 'other' && (storage.keyword === 'set' || storage.keyword === 'reset')) {
          const changed = await this.alterStorageParams(text, statement, storage);
          if (changed) return changed;
        }
        refuseOnPartitionedPrimaryKey(this, statement);
        refuseDroppingRegionColumn(resolveTable(this, statement.name), statement);
        const keyCommand = primaryKeyCommand(statement);
        const keyChanged = keyCommand && (await this.changePrimaryKey(text, statement, keyCommand));
        if (keyChanged) return keyChanged;
        const named =
          addsUnnamedCheck(text, statement) || addsConstraintIfNotExists(statement) ? resolveTable(this, statement.name) : undefined;
        const engineNames = await this.engineConstraintNames(document.tokens, statement);
        const translated = translateAlterTable(text, statement, this, named && (await checkNaming(cluster, named)), engineNames);
        if (translated.sql === undefined) return emptyResult(text, 'ALTER TABLE');
        const result = await this.runEngine(text, translated.sql, translated.notices);
        if (!result.error) {
          const table = resolveTable(this, statement.name);
          if (table && translated.checkSources.length > 0)
            table.checkSources = await recordedChecks(cluster, table, translated.checkSources);
          for (const command of statement.commands)
            if (table && command.kind === 'rename-column') await renameInChecks(cluster, table, command.column.value, command.to.value);
          const rename = statement.commands.find((c) => c.kind === 'rename-table');
          if (table) for (const column of translated.hidden) table.hidden.add(column);
          if (table && rename?.kind === 'rename-table') renameTable(cluster.catalog, table, rename.to.name.value);
          if (table) renamePartitionColumns(table, document.tokens);
          cluster.topologyChanged();
          this.wrote(table ? [table] : 'all');
        }
        return result;
      }
      case 'create-extension':
        throw notSimulated(`CREATE EXTENSION${statement.name ? ` ${statement.name.value}` : ''}`);
      case 'other':
        return this.other(text, statement, parsed, document);
      default:
        return this.runEngine(text, rewriteGeneral(text, this).sql, []);
    }
  }

  /**
   * The engine's names for the index-backed constraint names an ALTER TABLE writes, where they
   * differ (engineIndexNames.ts): a constraint of the table by its engine name; a new UNIQUE or
   * PRIMARY KEY constraint, or a new name for an index-backed one, by a name no relation holds.
   */
  private async engineConstraintNames(tokens: readonly Token[], statement: ast.AlterTable): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const table = resolveTable(this, statement.name);
    if (!table) return names;
    for (const command of statement.commands) {
      const written = constraintNameTokens(tokens, command);
      const source = written[0];
      if (!source) continue;
      const existing = await engineNameOnTable(this.cluster, table, source.value);
      if (existing !== undefined && existing !== source.value) names.set(source.value, existing);
      const after = tokens[tokens.indexOf(source) + 1];
      const creates = command.kind === 'add-constraint' && existing === undefined && isWord(after, 'unique', 'primary');
      const target = existing !== undefined ? written[1] : creates ? source : undefined;
      if (!target) continue;
      const engineName = await engineIndexName(this.cluster, table.database, target.value);
      if (engineName !== target.value) names.set(target.value, engineName);
    }
    return names;
  }

  /**
   * The engine's name for a new index `name` of `table` (engineIndexNames.ts). CockroachDB refuses
   * a name the table's own indexes hold, unless IF NOT EXISTS: the engine is then given that
   * index's name, and does nothing.
   */
  private async engineNameForNewIndex(table: TableMeta, name: string, ifNotExists: boolean): Promise<string> {
    const existing = await engineNameOnTable(this.cluster, table, name);
    if (existing !== undefined && ifNotExists) return existing;
    if (existing !== undefined) throw new SqlError(SQLSTATE.duplicateRelation, `index with name "${name}" already exists`);
    return engineIndexName(this.cluster, table.database, name);
  }

  /**
   * ALTER PRIMARY KEY, or ADD PRIMARY KEY, as CockroachDB makes the change (primaryKeyChange.ts),
   * alone or after a DROP CONSTRAINT of the current key (which then leaves no index behind);
   * undefined when the statement is the engine's to run as written.
   */
  private async changePrimaryKey(text: string, statement: ast.AlterTable, command: PrimaryKeyCommand): Promise<QueryResult | undefined> {
    const table = resolveTable(this, statement.name);
    // The engine cannot read ALTER PRIMARY KEY: a missing table is told here, as CockroachDB tells it.
    if (!table && command.kind === 'alter-primary-key') {
      if (statement.ifExists) return emptyResult(text, 'ALTER TABLE');
      throw new SqlError(SQLSTATE.undefinedTable, `relation "${text.slice(statement.name.start, statement.name.end)}" does not exist`);
    }
    const current = table && (await currentPrimaryKey(this.cluster, table));
    const others = statement.commands.filter((c) => c !== command);
    const first = others[0];
    const dropsKeyFirst =
      others.length === 1 &&
      first?.kind === 'drop-constraint' &&
      first.name.value === current?.constraint &&
      statement.commands.indexOf(first) < statement.commands.indexOf(command);
    if (others.length > 0 && !dropsKeyFirst) {
      if (command.kind === 'add-constraint') return undefined;
      throw notSimulated('ALTER PRIMARY KEY together with other changes in one ALTER TABLE');
    }
    // ADD PRIMARY KEY beside a key that is not the hidden rowid: the engine's error is CockroachDB's.
    if (!table || !current || (command.kind === 'add-constraint' && current.defaultRowid === undefined && !dropsKeyFirst)) return undefined;
    const change = await planPrimaryKeyChange(this.cluster, table, engineRelation(table), current, command, !dropsKeyFirst);
    if (change.sql === undefined) return emptyResult(text, 'ALTER TABLE');
    const result = await this.runEngine(text, change.sql, []);
    if (!result.error) {
      if (change.droppedRowid) table.hidden.delete(change.droppedRowid);
      if (change.oldKeyIndex) table.indexes.set(change.oldKeyIndex, { name: change.oldKeyIndex, id: table.nextIndexId++ });
      this.cluster.topologyChanged();
      this.wrote([table]);
    }
    return result;
  }

  private async other(
    text: string,
    statement: ast.OtherStatement,
    parsed: ast.ParsedStatement,
    document: ParsedDocument,
  ): Promise<QueryResult> {
    const cluster = this.cluster;
    const words = statement.keywords;
    // The statement as written, without its `;`.
    const written = text.slice(parsed.start, parsed.end);
    if (this.status === 'I') await collectDueStatistics(this);
    const statistics = await statisticsStatement(this, written, statement, document.tokens);
    if (statistics) return statistics;
    if (statement.show) {
      const transaction = showTransaction(this, text, statement.show.subject);
      if (transaction) return transaction;
      const shown = await introspect(this, written, statement.show);
      if (shown) return shown;
      // PostgreSQL's own SHOW of a variable it knows (search_path, timezone…).
      const variable = statement.show.variable;
      if (variable && this.vars.has(variable)) return rowsResult(text, [variable], [[this.vars.get(variable) ?? '']]);
      if (variable) return this.runEngine(text, text, []);
      throw notSimulated(written);
    }
    if (statement.kind === 'upsert') {
      const target = statement.target;
      const table = target && resolveTable(this, target);
      if (!table)
        throw new SqlError(SQLSTATE.undefinedTable, `relation "${target ? text.slice(target.start, target.end) : ''}" does not exist`);
      const { primaryKey, columns } = await tableColumns(cluster, table);
      const targetParts = target.parts.map((p) => p.value);
      const { latencyMs } = await checkRanges(this, {
        text,
        tokens: document.tokens,
        kind: 'upsert',
        tables: [targetParts],
        target: targetParts,
      });
      const upserted = await this.runEngine(text, translateUpsert(text, primaryKey, columns, this), []);
      if (!upserted.error) this.wrote([table]);
      return this.reportLatency(upserted, latencyMs);
    }
    if (statement.drop?.object === 'database') return dropDatabase(this, text, statement.drop);
    if (isWord(document.tokens[0], 'reset') && this.resetVariable(document)) return emptyResult(text, 'RESET');
    refuseRegionEnumChange(this, statement, document.tokens);
    if (statement.alterIndexPartitionBy) {
      const { target, partitionBy } = statement.alterIndexPartitionBy;
      return alterIndexPartitionBy(this, text, target, partitionBy, parsed);
    }
    if (statement.grant) return grantOrRevoke(this, text, statement.grant);
    const unsupported = NOT_SIMULATED_PREFIXES.find((prefix) => words === prefix || words.startsWith(`${prefix} `));
    if (unsupported) throw notSimulated(words.toUpperCase());
    if (words === 'create schema' || words.startsWith('create schema ')) throw notSimulated('CREATE SCHEMA (user-defined schemas)');
    if (statement.kind === 'explain') {
      const wrote = (tables: readonly TableMeta[] | 'all'): void => {
        this.wrote(tables);
      };
      return explainStatement(this, text, written, { wrote, inTransaction: this.status !== 'I' });
    }
    const reset = statement.kind === 'select' ? resetMultiRegionZoneBuiltin(this, text, document.tokens) : undefined;
    if (reset) return reset;
    // `[SHOW …]` and other bracketed statement sources: run first, read as rows.
    const sourced = await expandStatementSources(this, text, document.tokens, (inner, innerDocument) =>
      this.dispatch(inner, innerDocument),
    );
    const historical =
      sourced !== undefined
        ? undefined
        : statement.kind === 'select'
          ? await historicalTranslation(this, text, document.tokens)
          : await preparedHistorical(this, text, document.tokens);
    // ALTER INDEX t@i and DROP INDEX t@i name the index as the engine does.
    const alterIndex = sourced === undefined ? await translateAlterIndex(this, text, document.tokens) : undefined;
    if (alterIndex?.visibility) {
      const { table, index, visible } = alterIndex.visibility;
      await changeVisibility(cluster, table, index, visible);
      this.wrote([table]);
    }
    if (alterIndex && alterIndex.sql === undefined) return emptyResult(text, 'ALTER INDEX');
    const dropIndex =
      sourced === undefined && statement.drop?.object === 'index' ? await translateDropIndex(this, text, statement.drop) : undefined;
    if (dropIndex && dropIndex.text === undefined) return emptyResult(text, 'DROP INDEX');
    const rewritten = sourced ?? alterIndex?.sql ?? dropIndex?.text;
    const translated =
      historical ?? (rewritten === undefined ? rewriteGeneral(text, this, undefined, document.tokens) : rewriteGeneral(rewritten, this));
    if (translated.readsCrdbInternal) {
      await fillCrdbInternal(cluster);
      await fillZoneConfigProblems(this);
    }
    const kind = statement.kind === 'select' ? 'read' : 'write';
    const { latencyMs: latency } = await checkRanges(this, {
      text,
      tokens: document.tokens,
      kind: statement.kind,
      // The virtual schemas' tables have no ranges: a catalog read waits for none and does not
      // make the model lay out (and measure) every table first.
      tables: translated.tables.filter((parts) => !namesVirtualTable(parts)),
      ...(statement.target ? { target: statement.target.parts.map((p) => p.value) } : {}),
      ...(this.parameters ? { parameters: this.parameters.values } : {}),
    });
    const result = await this.runEngine(text, translated.sql, translated.notices);
    if (historical) hideHistoricalColumns(cluster.catalog, result, text);
    if (!result.error && kind === 'write') {
      const dropTable = statement.drop?.object === 'table';
      if (statement.drop && dropTable) forgetDroppedTables(this, statement.drop);
      if (statement.drop?.object === 'index') forgetDroppedIndexes(this, statement.drop);
      if (alterIndex?.renamed) renameIndexInCatalog(this, alterIndex.renamed);
      if (statement.kind === 'insert' || statement.kind === 'update' || statement.kind === 'delete')
        this.wrote(tablesNamed(this, translated.tables));
      // Other DDL the simulator passes through (DROP, CREATE VIEW / SEQUENCE, ALTER INDEX…): a
      // dropped table takes its measurement with it; what else such a statement changed is unknown.
      else if (statement.kind === 'drop' || statement.kind === 'other') {
        cluster.topologyChanged();
        if (!dropTable) this.wrote('all');
      }
    } else if (!result.error && queryWrites(document.tokens)) this.wrote(tablesNamed(this, translated.tables));
    if (statement.kind === 'rollback' || this.status === 'I') this.transactionSettled();
    return this.reportLatency(result, latency);
  }

  /** The statement's simulated latency, on its result (and as a notice when the session asks for it). */
  private reportLatency(result: QueryResult, latency: number): QueryResult {
    result.latencyMs = latency;
    this.lastLatencyMs = latency;
    if (this.vars.get('crdb_studio_report_latency') === 'on' && !result.error)
      result.notices.push(notice(`simulated latency ${latency.toFixed(1)} ms`));
    return result;
  }

  /** The transaction ended: a commit keeps what it did to the catalog, anything else undoes it. */
  private restoreLocalVariables(): void {
    for (const [name, value] of this.localVariables) this.vars.set(name, value);
    this.localVariables.clear();
  }

  private transactionEnded(committed: boolean): void {
    const before = this.catalogBeforeTransaction;
    this.catalogBeforeTransaction = undefined;
    if (committed || before === undefined) return;
    // Descriptor IDs a rolled-back transaction took are not given out again, as in CockroachDB.
    const nextId = this.cluster.catalog.peekId();
    restoreCatalog(this.cluster.catalog, before);
    this.cluster.catalog.resetId(nextId);
    this.cluster.topologyChanged();
    this.cluster.dataChanged('all');
  }

  /**
   * Marks tables a statement changed, to be measured again. Inside a transaction they are also
   * remembered: a measurement taken before it ends may hold writes a rollback undoes.
   */
  private wrote(tables: readonly TableMeta[] | 'all'): void {
    this.cluster.dataChanged(tables);
    if (this.status === 'I' || this.writtenInTransaction === 'all') return;
    if (tables === 'all') this.writtenInTransaction = 'all';
    else for (const table of tables) this.writtenInTransaction.add(table);
  }

  /** The transaction committed, rolled back (or to a savepoint): what it wrote is measured again. */
  private transactionSettled(): void {
    if (this.writtenInTransaction !== 'all' && this.writtenInTransaction.size === 0) return;
    this.cluster.dataChanged(this.writtenInTransaction);
    if (this.status === 'I') this.writtenInTransaction = new Set();
  }

  private async createTable(
    text: string,
    statement: ast.CreateTable,
    parsed: ast.ParsedStatement | undefined,
    tokens: readonly Token[],
  ): Promise<QueryResult> {
    const cluster = this.cluster;
    const database = databaseOf(this, statement.name);
    if (!cluster.catalog.databases.has(database)) throw new SqlError(SQLSTATE.invalidCatalogName, `database "${database}" does not exist`);
    if (statement.temporary) checkTemporaryTable(this, statement);
    const locality = statement.temporary ? undefined : tableLocalityOnCreate(this, database, statement);
    const asColumn = locality?.kind === 'regional-by-row' ? (locality.as ?? 'crdb_region') : undefined;
    const partitionings = await partitioningsOnCreate(this, statement, parsed);
    const engineNames = await engineNamesForTable(cluster, database, indexBackedNames(tokens, statement));
    const translated = translateCreateTable(
      text,
      statement,
      this,
      asColumn,
      database,
      await indexNames(cluster, database, statement),
      engineNames,
    );
    if (translated.hidden.includes(DEFAULT_REGION_COLUMN) && asColumn === DEFAULT_REGION_COLUMN && autoRehoming(this))
      translated.sql.push(rehomeTriggerSql(database, statement.name.name.value));
    const existed = cluster.catalog.table(database, statement.name.name.value);
    const result = await this.runEngine(text, translated.sql.join(';\n'), translated.notices);
    if (result.error || (existed && statement.ifNotExists)) return result;
    if (statement.temporary) {
      result.tag = 'CREATE TABLE';
      return result;
    }
    const table = await registerTable(cluster, database, statement, locality, translated);
    for (const name of translated.notVisible) await setEngineVisibility(cluster, table, engineNames.get(name) ?? name, false);
    if (translated.storageParams.length > 0) table.storageParams = translated.storageParams;
    if (translated.checkSources.length > 0) table.checkSources = await recordedChecks(cluster, table, translated.checkSources);
    applyPartitionings(table, partitionings);
    result.notices.push(...partitionings.notices.map(partitionNotice));
    result.tag = 'CREATE TABLE';
    return result;
  }

  /** ALTER TABLE … SET (…) / RESET (…) of CockroachDB's storage parameters (storageParams.ts). */
  private async alterStorageParams(
    text: string,
    statement: ast.AlterTable,
    command: { start: number; keyword: string },
  ): Promise<QueryResult | undefined> {
    const table = resolveTable(this, statement.name);
    if (!table) return undefined;
    const changed = alterStorageParams(tokensOf(text), command, table);
    if (!changed) return undefined;
    const result =
      changed.engineSql.length > 0
        ? await this.runEngine(text, changed.engineSql.join(';\n'), changed.notices)
        : { ...emptyResult(text), notices: changed.notices.map(notice) };
    if (result.error) return result;
    table.storageParams = changed.params;
    if (expireAfter(changed.params) !== undefined) table.hidden.add(EXPIRATION_COLUMN);
    else table.hidden.delete(EXPIRATION_COLUMN);
    this.wrote([table]);
    result.tag = 'ALTER TABLE';
    return result;
  }

  private async useDatabase(text: string, name: string): Promise<QueryResult> {
    if (!this.cluster.catalog.databases.has(name)) throw new SqlError(SQLSTATE.invalidCatalogName, `database "${name}" does not exist`);
    this.database = name;
    await this.cluster.applySession(this);
    return emptyResult(text, 'SET');
  }

  private async set(text: string, statement: ast.SetVariable): Promise<QueryResult> {
    const settings = this.cluster.catalog.clusterSettings;
    const value = statement.value?.string ?? statement.value?.text ?? '';
    if (statement.cluster) {
      if (this.status !== 'I')
        throw new SqlError(SQLSTATE.featureNotSupported, 'SET CLUSTER SETTING cannot be used inside a multi-statement transaction');
      return setClusterSetting(this.cluster, text, statement.name, value);
    }
    const name = statement.name.toLowerCase();
    if (statement.local && this.vars.has(name)) {
      // SET LOCAL lasts until the transaction ends: outside one it does nothing, and says so.
      if (this.status === 'I') {
        const result = emptyResult(text, 'SET');
        // CockroachDB's notice, with no SQLSTATE of its own (pkg/sql/set_var.go).
        result.notices.push({ severity: 'WARNING', code: '00000', message: 'SET LOCAL can only be used in transaction blocks' });
        return result;
      }
      if (!this.localVariables.has(name)) this.localVariables.set(name, this.vars.get(name) ?? '');
    }
    if (name === 'database') return this.useDatabase(text, value);
    if (name === 'default_transaction_priority') {
      this.vars.set(name, checkPriority(value));
      return emptyResult(text, 'SET');
    }
    if (name === 'idle_in_transaction_session_timeout') {
      const ms = durationMs(value);
      if (ms === undefined)
        throw new SqlError(SQLSTATE.invalidParameterValue, `invalid value for parameter "${name}": ${quoteLiteral(value)}`);
      this.vars.set(name, String(ms));
      return emptyResult(text, 'SET');
    }
    const privileged = isPrivileged(await knownUsers(this.cluster.catalog, this.cluster.engine), this.user);
    const switchRole = roleSwitchError(name, value, this.user, privileged);
    if (switchRole) throw switchRole;
    if (name === 'default_transaction_isolation' || name === 'transaction_isolation') {
      this.vars.set(name, effectiveIsolation(value.toLowerCase() as ast.IsolationLevel, settings));
      return emptyResult(text, 'SET');
    }
    if (this.vars.has(name) || name.startsWith('experimental_') || name.startsWith('enable_')) {
      this.vars.set(name, sessionVarValue(this.vars.get(name), value));
      return emptyResult(text, 'SET');
    }
    const result = await this.runEngine(text, text, []);
    if (!result.error) this.engineSettings.set(name, text);
    return result;
  }

  /** RESET of a variable CockroachDB has and the engine does not: back to its default. */
  private resetVariable(document: ParsedDocument): boolean {
    const name = document.tokens[1];
    const fallback = name && CRDB_SESSION_DEFAULTS.find(([variable]) => variable === name.value.toLowerCase());
    if (!fallback || document.tokens.length > 3) return false;
    this.vars.set(fallback[0], fallback[1]);
    return true;
  }

  private transactionStatement(text: string, statement: ast.Begin | ast.SetTransaction): Promise<QueryResult> {
    return transactionStatement(this, text, statement);
  }

  /** A CONFIGURE ZONE clause with its values evaluated to constants (see zoneValues.ts). */
  private zoneValues(zone: ast.ConfigureZone): Promise<ast.ConfigureZone> {
    return evaluateZoneValues(zone, (sql) => this.runEngine(sql, sql, []));
  }

  /** Runs translated SQL on the engine as this session. */
  async runEngine(statement: string, sql: string, notices: readonly string[]): Promise<QueryResult> {
    const message = this.parameters ? extendedQueryMessages(sql, this.parameters) : queryMessage(sql);
    const output = await this.cluster.engineQuery(this, message);
    const { results, status } = decodeEngineOutput(statement, output);
    this.status = status;
    // Users, passwords and admin membership as committed: what logins and privileges follow.
    if (this.rolesChanged && status === 'I') {
      this.rolesChanged = false;
      await refreshUsers(this.cluster.catalog, this.cluster.engine);
    }
    const failed = results.find((r) => r.error);
    if (failed?.error) failed.error = cockroachEngineError(statement, cockroachPrivilegeError(this.user, statement, failed.error));
    // A CHECK violation names the constraint's expression, read from the engine unless the transaction is aborted.
    if (failed?.error?.code === SQLSTATE.checkViolation) failed.error = await checkViolation(this, failed.error, status !== 'E');
    const result = failed ?? results[0] ?? emptyResult(statement);
    result.statement = statement;
    for (const text of notices) result.notices.push(notice(text));
    if (!failed) showAsCockroachDB(this.cluster.catalog, result, statement);
    return result;
  }

  /**
   * The client went away: the session leaves the engine's queue at once; a statement it is
   * running finishes; then what it did not commit is rolled back and the engine handed on.
   */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.stopIdleTimer();
      this.cluster.abandonWait(this, this.closedBy);
      this.closing = this.tail.then(() => this.endHeld());
    }
    return this.closing;
  }

  private async endHeld(): Promise<void> {
    if (!this.holding) return;
    if (this.status !== 'I' && !this.abortedBy) await this.cluster.engineQuery(this, queryMessage('ROLLBACK')).catch(() => undefined);
    this.transactionEnded(false);
    this.status = 'I';
    this.abortedBy = undefined;
    this.settleAll();
    this.releaseEngine();
  }

  /** The transaction ended without the engine saying so: what it wrote is measured again. */
  private settleAll(): void {
    const status = this.status;
    this.status = 'I';
    this.transactionSettled();
    this.status = status;
  }

  /** The session's search_path and gateway, for the engine. */
  engineSetup(): string {
    const gateway = this.cluster.model.nodes().find((n) => n.id === this.nodeId);
    return [
      `SET search_path = ${quoteIdent(this.database)}, public, pg_catalog`,
      `SET crdb.gateway_region = ${quoteLiteral(gateway?.locality.region ?? '')}`,
      `SET crdb.node_id = ${quoteLiteral(String(this.nodeId))}`,
      `SET application_name = ${quoteLiteral(this.applicationName)}`,
      ...this.engineSettings.values(),
    ].join(';\n');
  }
}

/** Statements whose handler changes the catalog along with the engine (run durably with a store). */
function changesCatalog(statement: ast.Statement): boolean {
  switch (statement.type) {
    case 'create-database':
    case 'alter-database':
    case 'configure-zone':
    case 'create-table':
    case 'create-index':
    case 'alter-table':
      return true;
    case 'other':
      return statement.drop !== undefined || statement.alterIndexPartitionBy !== undefined;
    default:
      return false;
  }
}

/** A session variable's value as SHOW prints it: CockroachDB writes a boolean variable as on/off. */
function sessionVarValue(current: string | undefined, value: string): string {
  if (current !== 'on' && current !== 'off') return value;
  const word = value.toLowerCase();
  if (['true', 'on', 'yes', '1', 't'].includes(word)) return 'on';
  if (['false', 'off', 'no', '0', 'f'].includes(word)) return 'off';
  return value;
}

/** Statements inside a transaction that may change the catalog (anything but reads, writes and transaction control). */
function mayChangeCatalog(statement: ast.Statement): boolean {
  if (statement.type !== 'other') return statement.type !== 'begin' && statement.type !== 'set-transaction' && statement.type !== 'use';
  return !['select', 'insert', 'upsert', 'update', 'delete', 'commit', 'rollback', 'savepoint', 'show', 'explain'].includes(statement.kind);
}

/** A deep copy of the catalog, so later changes to its objects do not reach it. */
function snapshotCatalog(catalog: Catalog): SavedCatalog {
  return structuredClone(saveCatalog(catalog));
}

/** A statement's result that is only an error. */
function failed(statement: string, error: unknown): QueryResult {
  const result = emptyResult(statement);
  result.error =
    error instanceof SqlError
      ? error.fields()
      : { severity: 'ERROR', code: SQLSTATE.internal, message: error instanceof Error ? error.message : String(error) };
  return result;
}

/** Statements of a query string: their source text (comments kept) and their parse. */
function splitStatements(sql: string): { text: string; document: ParsedDocument }[] {
  const statements: { text: string; document: ParsedDocument }[] = [];
  for (const range of scanStatementRanges(sql, 0).ranges) {
    const text = sql.slice(range.start, range.end).trim();
    const document = parseDocument(text);
    const tokens = document.tokens;
    if (tokens.length === 0 || (tokens.length === 1 && tokens[0]?.kind === 'punct' && tokens[0].value === ';')) continue;
    statements.push({ text, document });
  }
  return statements;
}
