// The session variable autocommit_before_ddl, on by default from CockroachDB v25.1: a schema
// change sent inside an explicit transaction first commits that transaction (with a NOTICE), then
// runs on its own, and the session is left outside any transaction; COMMIT, ROLLBACK, SAVEPOINT
// and RELEASE sent then answer a WARNING (25P01) instead of an error, since it was the server
// that ended the transaction early. (CockroachDB's connExecutor.maybeAutoCommitBeforeDDL.)
import type * as ast from '../../../sql/src/ast';
import { emptyResult, type QueryResult } from './result';

/** The cluster setting new sessions take the variable's value from (true from v25.1). */
export const AUTOCOMMIT_BEFORE_DDL_SETTING = 'sql.defaults.autocommit_before_ddl.enabled';

export const AUTOCOMMIT_NOTICE = 'auto-committing transaction before processing DDL due to autocommit_before_ddl setting';

/** Whether the session's variable is on. */
export function autocommitsBeforeDdl(vars: ReadonlyMap<string, string>): boolean {
  return vars.get('autocommit_before_ddl') === 'on';
}

/** First words of the schema changes among the statements the parser leaves unstructured. */
const SCHEMA_CHANGE_WORDS = new Set(['create', 'alter', 'drop', 'truncate', 'comment', 'refresh']);

/**
 * Whether CockroachDB counts the statement as one that can change a schema (tree.CanModifySchema:
 * DDL, which GRANT and REVOKE are not): CREATE, ALTER, DROP, TRUNCATE, COMMENT ON, REFRESH.
 */
export function modifiesSchema(statement: ast.Statement): boolean {
  switch (statement.type) {
    case 'create-database':
    case 'alter-database':
    case 'configure-zone':
    case 'create-table':
    case 'create-index':
    case 'alter-table':
    case 'create-sequence':
    case 'create-role':
    case 'create-extension':
      return true;
    case 'other':
      return SCHEMA_CHANGE_WORDS.has(statement.keywords.split(' ', 1)[0] ?? '');
    default:
      return false;
  }
}

/** The tag CockroachDB gives a transaction statement sent with no transaction open. */
export function transactionTag(statement: ast.OtherStatement): string {
  const word = statement.keywords.split(' ', 1)[0] ?? '';
  if (word === 'end') return 'COMMIT';
  if (word === 'abort') return 'ROLLBACK';
  return word.toUpperCase();
}

/** COMMIT / ROLLBACK / SAVEPOINT / RELEASE / SET TRANSACTION with no transaction open, when the variable is on: a warning, not an error. */
export function noTransactionWarning(text: string, tag: string): QueryResult {
  const result = emptyResult(text, tag);
  result.notices.push({ severity: 'WARNING', code: '25P01', message: 'there is no transaction in progress' });
  return result;
}
