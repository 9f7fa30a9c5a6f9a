// Flags an explicit transaction (BEGIN … COMMIT) whose schema changes are not atomic with the
// rest of it. CockroachDB runs most schema changes as jobs after the transaction's writes have
// committed: if one then fails (a violated constraint, duplicate values for a new unique index),
// COMMIT answers XXA00 "transaction committed but schema change aborted" — the writes stay, the
// schema change does not. CREATE TABLE, CREATE INDEX (not UNIQUE on an existing table) and
// changes to a table the transaction created are atomic and not flagged. Also flagged: a column
// type change that rewrites the table (refused in an explicit transaction), and DROP COLUMN
// beside other schema changes (its data can be lost if another one fails). Like
// read-only-transaction, it looks ahead from BEGIN, which the engine always re-checks.
//
// From v25.1 the session variable autocommit_before_ddl is on by default: a schema change sent in
// an explicit transaction first commits it, runs on its own, and leaves the session outside any
// transaction (each later statement commits by itself; COMMIT only warns, 25P01). A block with a
// schema change and anything else is then split, not atomic, whatever the schema change is; the
// rules above apply again where the file turns the variable off (SET autocommit_before_ddl = off).
//
//   BEGIN; ALTER TABLE t ADD CONSTRAINT u UNIQUE (x); INSERT INTO t VALUES (3); COMMIT;  -- warning
import type { DocumentStatement } from '../../analysis/statements';
import type * as ast from '../../../../sql/src/ast';
import { columnTypeChange, statementHead, typeChangeRewrites } from '../facts';
import { DOCS, type RuleContext, type Rule } from '../rule';
import { atLeast, formatVersion, SINCE } from '../version';

const WRITES = new Set<ast.StatementKind>(['insert', 'upsert', 'update', 'delete']);
/** Leading keywords of statements that change an existing object's schema (besides ALTER TABLE). */
const SCHEMA_CHANGES = ['alter ', 'truncate', 'comment on '];

interface Transaction {
  /** The first statement that changes a schema (CREATE included), and how many statements the block holds. */
  firstSchemaChange: DocumentStatement | undefined;
  statements: number;
  /** Schema changes that are not atomic with the transaction's writes. */
  deferred: DocumentStatement[];
  writes: DocumentStatement[];
  /** ALTER COLUMN … TYPE that rewrites the column. */
  rewrites: DocumentStatement[];
  dropsColumn: DocumentStatement[];
  schemaChanges: number;
}

/** Whether an ALTER TABLE changes a column's type in a way that rewrites the table. */
function rewritesColumn(statement: ast.AlterTable, text: string, context: RuleContext): boolean {
  return statement.commands.some((command) => {
    if (command.kind !== 'alter-column' || command.action !== 'set-type' || !command.type) return false;
    const change = columnTypeChange(
      context.model,
      context.statements,
      context.uri,
      statement.name,
      { ...command, type: command.type },
      text,
      context.cockroachVersion,
    );
    return typeChangeRewrites(change, context.cockroachVersion);
  });
}

/** The statements from BEGIN to COMMIT / ROLLBACK (or the end of the document), sorted by risk. */
function readTransaction(context: RuleContext): Transaction {
  const found: Transaction = {
    firstSchemaChange: undefined,
    statements: 0,
    deferred: [],
    writes: [],
    rewrites: [],
    dropsColumn: [],
    schemaChanges: 0,
  };
  const created = new Set<string>();
  for (let i = context.index + 1; i < context.statements.length; i++) {
    const source = context.statements[i];
    const statement = source?.parsed.statement;
    if (!source || !statement) break;
    if (statement.type === 'begin') break;
    if (statement.type === 'other' && (statement.kind === 'commit' || statement.kind === 'rollback')) break;
    found.statements++;
    const changesBefore = found.schemaChanges;
    switch (statement.type) {
      case 'create-table':
        created.add(statement.name.name.value);
        found.schemaChanges++;
        break;
      case 'create-index':
        found.schemaChanges++;
        if (statement.index.kind === 'unique' && !created.has(statement.table.name.value)) found.deferred.push(source);
        break;
      case 'alter-table': {
        found.schemaChanges++;
        if (statement.commands.some((c) => c.kind === 'drop-column')) found.dropsColumn.push(source);
        if (rewritesColumn(statement, source.text, context)) found.rewrites.push(source);
        const renamed = statement.commands.find((c) => c.kind === 'rename-table');
        if (created.has(statement.name.name.value)) {
          if (renamed?.kind === 'rename-table') created.add(renamed.to.name.value);
        } else found.deferred.push(source);
        break;
      }
      case 'alter-database':
        found.schemaChanges++;
        found.deferred.push(source);
        break;
      case 'other':
        if (WRITES.has(statement.kind)) found.writes.push(source);
        else if (statement.kind === 'drop') {
          found.schemaChanges++;
          const names = statement.drop?.names ?? [];
          if (!names.every((n) => created.has(n.name.name.value))) found.deferred.push(source);
        } else if (SCHEMA_CHANGES.some((keywords) => statement.keywords.startsWith(keywords))) {
          found.schemaChanges++;
          found.deferred.push(source);
        }
        break;
      default:
        break;
    }
    if (found.schemaChanges > changesBefore) found.firstSchemaChange ??= source;
  }
  return found;
}

/** Whether autocommit_before_ddl is on where the statement runs: the version's default, or the file's last SET of it. */
function autocommitBeforeDdl(context: RuleContext): boolean {
  for (let i = context.index - 1; i >= 0; i--) {
    const statement = context.statements[i]?.parsed.statement;
    if (statement?.type !== 'set' || statement.cluster || statement.name !== 'autocommit_before_ddl') continue;
    const value = (statement.value?.word ?? statement.value?.string ?? '').toLowerCase();
    if (value === 'off' || value === 'false') return false;
    if (value === 'on' || value === 'true') return true;
  }
  return atLeast(context.cockroachVersion, SINCE.autocommitBeforeDdl);
}

export const schemaChangeInTransaction: Rule = {
  id: 'schema-change-in-transaction',
  defaultSeverity: 'warning',
  title: 'Schema change in an explicit transaction (not atomic on CockroachDB)',
  description:
    'From v25.1 the session variable `autocommit_before_ddl` is on by default: a schema change sent inside `BEGIN … COMMIT` first commits the transaction, runs on its own, ' +
    'and leaves the session outside any transaction, so each later statement commits by itself and `COMMIT` only warns (`25P01`). A block holding a schema change and anything else is split, not atomic. ' +
    'Before v25.1, or with the variable off: CockroachDB schema changes are online: most of them run as jobs once the transaction that asked for them has committed, so they are not atomic with it. ' +
    'If such a schema change then fails (a violated constraint, duplicate values for a new unique index, a failing computed value), COMMIT returns `XXA00` ' +
    '"transaction committed but schema change aborted": the writes stay committed and the schema change does not. `CREATE TABLE`, `CREATE INDEX`, and changes ' +
    'to a table created in the same transaction are atomic. `ALTER COLUMN … TYPE` that rewrites the column is refused in an explicit transaction, and `DROP COLUMN` ' +
    'beside other schema changes can lose data if one of them fails. Run such schema changes in their own transaction (or as single statements).',
  docs: `${DOCS}online-schema-changes#known-limitations`,
  statements: ['begin'],
  check(context) {
    if (context.statement.type !== 'begin') return;
    const transaction = readTransaction(context);
    if (autocommitBeforeDdl(context)) {
      const first = transaction.firstSchemaChange;
      if (!first || transaction.statements < 2) return;
      context.report(
        context.statement,
        `This transaction is not atomic on CockroachDB ${formatVersion(context.cockroachVersion)}: autocommit_before_ddl (on by default from ${SINCE.autocommitBeforeDdl}) ` +
          `commits it before its first schema change (${statementHead(first)}), which then runs on its own, and each statement after that commits by itself ` +
          `(COMMIT or ROLLBACK only warns, 25P01). Run the schema changes outside the transaction.`,
      );
      return;
    }
    const problems: string[] = [];
    const first = transaction.deferred[0];
    const write = transaction.writes[0];
    if (first && write)
      problems.push(
        `The schema change (${statementHead(first)}) is not atomic with the writes (${statementHead(write)}): CockroachDB applies it after they commit, ` +
          `so if it fails, COMMIT returns XXA00 "transaction committed but schema change aborted" with the writes kept and the schema unchanged.`,
      );
    const rewrite = transaction.rewrites[0];
    if (rewrite) problems.push(`${statementHead(rewrite)} rewrites a column's type, which CockroachDB refuses in an explicit transaction.`);
    const drop = transaction.dropsColumn[0];
    if (drop && transaction.schemaChanges > 1)
      problems.push(`DROP COLUMN (${statementHead(drop)}) beside other schema changes can lose the column's data if one of them fails.`);
    if (problems.length === 0) return;
    context.report(context.statement, `${problems.join(' ')} Run the schema change in its own transaction.`);
  },
};
