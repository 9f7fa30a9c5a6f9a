// Transaction statements as CockroachDB answers them: BEGIN / SET TRANSACTION with isolation,
// priority, read mode and AS OF SYSTEM TIME; what is refused outside or inside a transaction;
// read-only (historical) transactions; SHOW TRANSACTION STATUS / PRIORITY.
import type * as ast from '../../../sql/src/ast';
import { SqlError } from './errors';
import type { Token } from '../../../sql/src/lexer';
import { isPunct, isWord, tokensOf } from './rewrite';
import { emptyResult, rowsResult, type QueryResult } from './result';
import { asOfExpression, evaluateAsOf, type AsOfTime } from './timeTravel';
import { effectiveIsolation } from './isolation';
import { autocommitsBeforeDdl, noTransactionWarning, transactionTag } from './autocommitBeforeDdl';
import { sessionAsOfExpression, type TransactionSession } from './transactionState';

const PRIORITIES = new Set(['low', 'normal', 'high']);
const FOLLOWER_READ_FUNCTIONS = new Set(['follower_read_timestamp', 'experimental_follower_read_timestamp']);

/**
 * BEGIN, SET TRANSACTION and SET SESSION CHARACTERISTICS: checked as CockroachDB checks them;
 * what the engine understands (isolation, read mode) is sent to it, the rest is kept here.
 */
export async function transactionStatement(
  session: TransactionSession,
  text: string,
  statement: ast.Begin | ast.SetTransaction,
): Promise<QueryResult> {
  const settings = session.cluster.catalog.clusterSettings;
  const txn = session.txn;
  checkModes(text);
  const priority = statement.priority;
  if (statement.type === 'set-transaction' && statement.sessionDefault) {
    if (statement.isolation) session.vars.set('default_transaction_isolation', effectiveIsolation(statement.isolation.level, settings));
    if (priority) session.vars.set('default_transaction_priority', priority);
    if (statement.asOfSystemTime) {
      // CockroachDB keeps only follower reads as a session default.
      const expression = tokensOf(asOfExpression(text, statement.asOfSystemTime));
      const head = expression[0];
      if (!(
        head &&
        FOLLOWER_READ_FUNCTIONS.has(head.value) &&
        expression.length === 3 &&
        isPunct(expression[1], '(') &&
        isPunct(expression[2], ')')
      ))
        throw new SqlError('22023', 'unsupported default as of system time expression, only follower_read_timestamp() allowed');
      session.vars.set('default_transaction_use_follower_reads', 'on');
    }
    if (statement.readOnly !== undefined) {
      const engine = await session.runEngine(text, `SET default_transaction_read_only = ${statement.readOnly ? 'on' : 'off'}`, []);
      if (engine.error) return engine;
    }
    return emptyResult(text, 'SET');
  }
  if (statement.type === 'set-transaction' && statement.variable === 'transaction_isolation' && statement.isolation) {
    const level = effectiveIsolation(statement.isolation.level, settings);
    session.isolation = level;
    return session.runEngine(text, `SET transaction_isolation = '${level}'`, []);
  }
  if (statement.type === 'begin') {
    if (session.status !== 'I') throw new SqlError('25001', 'there is already a transaction in progress');
    const expression = statement.asOfSystemTime ? asOfExpression(text, statement.asOfSystemTime) : sessionAsOfExpression(session);
    let readAt: AsOfTime | undefined;
    if (expression !== undefined) {
      if (statement.readOnly === false) throw new SqlError('0A000', 'AS OF SYSTEM TIME specified with READ WRITE mode');
      readAt = await evaluateAsOf(session, expression, 'transaction');
    }
    const level = statement.isolation
      ? effectiveIsolation(statement.isolation.level, settings)
      : (session.vars.get('default_transaction_isolation') ?? 'serializable');
    let sql = 'BEGIN';
    if (level !== 'serializable') sql += ` ISOLATION LEVEL ${level.toUpperCase()}`;
    if (readAt || statement.readOnly === true) sql += ' READ ONLY';
    else if (statement.readOnly === false) sql += ' READ WRITE';
    const result = await session.runEngine(text, sql, []);
    if (result.error) return result;
    session.isolation = level;
    txn.ended();
    if (readAt?.kind === 'exact') {
      txn.readAt = readAt.micros;
      txn.readOnly = true;
    }
    txn.priority = priority;
    return result;
  }
  // SET TRANSACTION …
  if (session.status === 'I') {
    if (autocommitsBeforeDdl(session.vars)) return noTransactionWarning(text, 'SET TRANSACTION');
    throw noTransaction();
  }
  if (statement.asOfSystemTime) {
    const readAt = await evaluateAsOf(session, asOfExpression(text, statement.asOfSystemTime), 'transaction');
    if (statement.readOnly === false) throw new SqlError('0A000', 'AS OF SYSTEM TIME specified with READ WRITE mode');
    if (readAt.kind === 'exact') {
      txn.readAt = readAt.micros;
      txn.readOnly = true;
    }
  }
  if (priority) {
    if (txn.running && priority !== txn.priority) throw new SqlError('25001', 'cannot change the user priority of a running transaction');
    txn.priority = priority;
  }
  const modes: string[] = [];
  if (statement.isolation) {
    const level = effectiveIsolation(statement.isolation.level, settings);
    // The level the transaction already runs needs nothing of the engine (which refuses it after a SAVEPOINT).
    if (level !== session.isolation) modes.push(`ISOLATION LEVEL ${level.toUpperCase()}`);
    session.isolation = level;
  }
  if (statement.readOnly !== undefined) modes.push(statement.readOnly ? 'READ ONLY' : 'READ WRITE');
  if (modes.length === 0) return emptyResult(text, 'SET');
  return session.runEngine(text, `SET TRANSACTION ${modes.join(', ')}`, []);
}

/** Each transaction mode at most once; DEFERRABLE is not implemented (NOT DEFERRABLE is the default). */
function checkModes(text: string): void {
  const tokens = tokensOf(text);
  const count = (test: (i: number) => boolean): number => tokens.filter((_, i) => test(i)).length;
  const word = (i: number, w: string): boolean => isWord(tokens[i], w);
  if (count((i) => word(i, 'read') && (word(i + 1, 'only') || word(i + 1, 'write'))) > 1)
    throw new SqlError('42601', 'read mode specified multiple times');
  if (count((i) => word(i, 'priority')) > 1) throw new SqlError('42601', 'user priority specified multiple times');
  if (count((i) => word(i, 'isolation') && word(i + 1, 'level')) > 1)
    throw new SqlError('42601', 'isolation level specified multiple times');
  if (count((i) => word(i, 'deferrable') && !word(i - 1, 'not')) > 0) throw new SqlError('0A000', 'unimplemented: DEFERRABLE transactions');
}

export function noTransaction(): SqlError {
  return new SqlError('25P01', 'there is no transaction in progress');
}

/**
 * COMMIT, ROLLBACK, SAVEPOINT and RELEASE with no transaction open: CockroachDB's error, or, while
 * autocommit_before_ddl is on (the server may have ended the transaction itself), its warning as
 * the statement's result.
 */
export function checkTransactionEnd(
  text: string,
  session: TransactionSession,
  statement: ast.Statement | undefined,
): QueryResult | undefined {
  if (session.status !== 'I' || statement?.type !== 'other') return undefined;
  if (statement.kind !== 'commit' && statement.kind !== 'rollback' && statement.kind !== 'savepoint') return undefined;
  if (autocommitsBeforeDdl(session.vars)) return noTransactionWarning(text, transactionTag(statement));
  throw noTransaction();
}

/** The statement tag CockroachDB names in "cannot execute … in a read-only transaction", or undefined for a read. */
export function writeTag(statement: ast.Statement): string | undefined {
  switch (statement.type) {
    case 'create-database':
      return 'CREATE DATABASE';
    case 'alter-database':
      return 'ALTER DATABASE';
    case 'create-table':
      return 'CREATE TABLE';
    case 'create-index':
      return 'CREATE INDEX';
    case 'alter-table':
      return 'ALTER TABLE';
    case 'configure-zone':
      return 'CONFIGURE ZONE';
    case 'create-sequence':
      return 'CREATE SEQUENCE';
    case 'create-role':
      return statement.alter ? 'ALTER ROLE' : 'CREATE ROLE';
    case 'other': {
      const words = statement.keywords.split(' ');
      const first = words[0] ?? '';
      if (['insert', 'update', 'delete', 'upsert', 'truncate', 'grant', 'revoke', 'comment', 'import'].includes(first))
        return first.toUpperCase();
      if (['create', 'alter', 'drop'].includes(first)) {
        const object = words.find(
          (w, i) => i > 0 && !['or', 'replace', 'unique', 'if', 'not', 'exists', 'materialized', 'temp', 'temporary'].includes(w),
        );
        return `${first} ${object ?? ''}`.trim().toUpperCase();
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** A write inside a read-only (historical) transaction, or an implicit one under follower reads: refused. */
export function checkReadOnly(session: TransactionSession, statement: ast.Statement | undefined, tokens: readonly Token[]): void {
  if (!statement) return;
  // A data write whose query reads AS OF SYSTEM TIME runs in a historical, read-only transaction.
  const writesThePast = statement.type === 'other' && ['insert', 'update', 'delete', 'upsert'].includes(statement.kind) && hasAsOf(tokens);
  const historical = session.status === 'I' ? sessionAsOfExpression(session) !== undefined : session.txn.readOnly;
  if (!historical && !writesThePast) return;
  const tag = writeTag(statement);
  if (tag) throw new SqlError('25006', `cannot execute ${tag} in a read-only transaction`);
}

function hasAsOf(tokens: readonly Token[]): boolean {
  return tokens.some(
    (t, i) => isWord(t, 'as') && isWord(tokens[i + 1], 'of') && isWord(tokens[i + 2], 'system') && isWord(tokens[i + 3], 'time'),
  );
}

/** SHOW TRANSACTION STATUS / PRIORITY, answered from the session's state; undefined for other SHOWs. */
export function showTransaction(session: TransactionSession, text: string, subject: string): QueryResult | undefined {
  if (subject === 'transaction status') {
    const status = session.status === 'I' ? 'NoTxn' : session.status === 'E' ? 'Aborted' : session.txn.commitWait ? 'CommitWait' : 'Open';
    return rowsResult(text, ['TRANSACTION STATUS'], [[status]]);
  }
  if (subject === 'transaction priority') {
    const priority = session.txn.priority ?? session.vars.get('default_transaction_priority') ?? 'normal';
    return rowsResult(text, ['transaction_priority'], [[priority]]);
  }
  return undefined;
}

/** SET default_transaction_priority: CockroachDB's three levels. */
export function checkPriority(value: string): string {
  const priority = value.toLowerCase();
  if (!PRIORITIES.has(priority)) throw new SqlError('22023', `invalid value for parameter "default_transaction_priority": "${value}"`);
  return priority;
}
