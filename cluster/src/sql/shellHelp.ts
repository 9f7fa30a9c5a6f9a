// What `\h STATEMENT` and `\hf FUNCTION` print in the simulated cluster's shell. CockroachDB's shell
// asks the server's parser for its built-in help (the `??` help token, texts kept in
// pkg/sql/parser's help messages and the builtins' documentation); those texts are not reproduced
// here. These are short synopses written for the simulator, in the same layout (Command: /
// Function: first), with a link to the documentation page that has the full text.
import { FUNCTION_DOCS } from '../../../sql/src/knowledge';

const DOCS = 'https://www.cockroachlabs.com/docs/stable/';

interface StatementHelp {
  description: string;
  category: string;
  syntax: string;
  page: string;
}

const STATEMENTS: Readonly<Record<string, StatementHelp>> = {
  SELECT: {
    description: 'read rows from tables or compute values',
    category: 'data manipulation',
    syntax: 'SELECT [DISTINCT] <exprs> [FROM <sources>] [WHERE <cond>] [GROUP BY …] [ORDER BY …] [LIMIT n]',
    page: 'select-clause',
  },
  INSERT: {
    description: 'add rows to a table',
    category: 'data manipulation',
    syntax: 'INSERT INTO <table> [(<columns>)] {VALUES (…) | <select>} [ON CONFLICT …] [RETURNING …]',
    page: 'insert',
  },
  UPSERT: {
    description: 'insert rows, replacing those whose primary key already exists',
    category: 'data manipulation',
    syntax: 'UPSERT INTO <table> [(<columns>)] {VALUES (…) | <select>} [RETURNING …]',
    page: 'upsert',
  },
  UPDATE: {
    description: 'change values in rows of a table',
    category: 'data manipulation',
    syntax: 'UPDATE <table> SET <column> = <expr> [, …] [FROM …] [WHERE <cond>] [ORDER BY …] [LIMIT n] [RETURNING …]',
    page: 'update',
  },
  DELETE: {
    description: 'remove rows from a table',
    category: 'data manipulation',
    syntax: 'DELETE FROM <table> [WHERE <cond>] [ORDER BY …] [LIMIT n] [RETURNING …]',
    page: 'delete',
  },
  'CREATE TABLE': {
    description: 'make a new table',
    category: 'data definition',
    syntax: 'CREATE TABLE [IF NOT EXISTS] <name> (<column definitions>, [<constraints>, <indexes>]) [LOCALITY …]',
    page: 'create-table',
  },
  'CREATE DATABASE': {
    description: 'make a new database',
    category: 'data definition',
    syntax: 'CREATE DATABASE [IF NOT EXISTS] <name> [PRIMARY REGION <region>] [REGIONS …] [SURVIVE …]',
    page: 'create-database',
  },
  'CREATE INDEX': {
    description: 'add a secondary index to a table',
    category: 'data definition',
    syntax: 'CREATE [UNIQUE] INDEX [<name>] ON <table> (<columns>) [STORING (<columns>)] [WHERE <cond>]',
    page: 'create-index',
  },
  'ALTER TABLE': {
    description: 'change the definition of a table',
    category: 'data definition',
    syntax: 'ALTER TABLE <name> {ADD COLUMN … | DROP COLUMN … | RENAME … | SET LOCALITY … | CONFIGURE ZONE …}',
    page: 'alter-table',
  },
  'DROP TABLE': {
    description: 'remove a table and its data',
    category: 'data definition',
    syntax: 'DROP TABLE [IF EXISTS] <name> [, …] [CASCADE | RESTRICT]',
    page: 'drop-table',
  },
  SHOW: {
    description: 'display session variables, schema objects or cluster information',
    category: 'informational',
    syntax: 'SHOW {<variable> | DATABASES | TABLES | COLUMNS FROM <table> | RANGES FROM TABLE <table> | …}',
    page: 'sql-statements',
  },
  SET: {
    description: 'change a session variable',
    category: 'configuration',
    syntax: 'SET [SESSION] <variable> {= | TO} <value>',
    page: 'set-vars',
  },
  USE: {
    description: 'change the current database',
    category: 'configuration',
    syntax: 'USE <database>',
    page: 'set-vars',
  },
  BEGIN: {
    description: 'start a transaction',
    category: 'transaction control',
    syntax: 'BEGIN [TRANSACTION] [ISOLATION LEVEL <level>] [PRIORITY <priority>] [READ ONLY | READ WRITE]',
    page: 'begin-transaction',
  },
  COMMIT: {
    description: 'end the current transaction, keeping its changes',
    category: 'transaction control',
    syntax: 'COMMIT [TRANSACTION]',
    page: 'commit-transaction',
  },
  ROLLBACK: {
    description: 'end the current transaction, discarding its changes (or go back to a savepoint)',
    category: 'transaction control',
    syntax: 'ROLLBACK [TRANSACTION] [TO [SAVEPOINT] <name>]',
    page: 'rollback-transaction',
  },
  EXPLAIN: {
    description: 'show the plan the optimizer chose for a statement',
    category: 'miscellaneous',
    syntax: 'EXPLAIN [ANALYZE] [(<options>)] <statement>',
    page: 'explain',
  },
  GRANT: {
    description: 'give privileges on objects, or roles to users',
    category: 'privileges and security',
    syntax: 'GRANT <privileges> ON <objects> TO <users> | GRANT <roles> TO <users>',
    page: 'grant',
  },
};

/** Extra function synopses beyond the editor's hover docs (sql/src/knowledge). */
const FUNCTIONS: Readonly<Record<string, { signature: string; summary: string }>> = {
  uuid_v4: { signature: 'uuid_v4() -> bytes', summary: 'a random version 4 UUID, as bytes' },
  gen_random_uuid: { signature: 'gen_random_uuid() -> uuid', summary: 'a random version 4 UUID' },
  unique_rowid: { signature: 'unique_rowid() -> int', summary: 'a unique, roughly time-ordered integer (the default of rowid)' },
  now: { signature: 'now() -> timestamptz', summary: 'the time the current transaction started' },
  current_database: { signature: 'current_database() -> string', summary: 'the session’s current database' },
  version: { signature: 'version() -> string', summary: 'the version of the server' },
};

/** The lines `\h` prints for a statement name (case-insensitive), or undefined when there is none. */
export function statementHelp(name: string): string | undefined {
  const key = name.trim().replace(/\s+/g, ' ').toUpperCase();
  const help = STATEMENTS[key];
  if (!help) return undefined;
  return [
    `Command:     ${key}`,
    `Description: ${help.description}`,
    `Category:    ${help.category}`,
    'Syntax:',
    help.syntax,
    '',
    'See also:',
    `  ${DOCS}${help.page}`,
  ].join('\n');
}

/** What `\h` without a name lists: the statements it has a synopsis for. */
export function helpTopics(): string {
  return ['Statements with a synopsis here (\\h <name>):', ...Object.keys(STATEMENTS).map((k) => `  ${k}`)].join('\n');
}

/** The lines `\hf` prints for a function name, or undefined when there is none. */
export function functionHelp(name: string): string | undefined {
  const key = name.trim().toLowerCase();
  const own = FUNCTIONS[key];
  const docs = FUNCTION_DOCS.get(key);
  if (!own && !docs) return undefined;
  const lines = [`Function:    ${key}`, 'Category:    built-in functions'];
  if (own) lines.push(`Signature:   ${own.signature}`, `Description: ${own.summary}`);
  else if (docs) lines.push(`Description: ${docs.summary}`);
  lines.push('', 'See also:', `  ${docs?.docs ?? `${DOCS}functions-and-operators`}`);
  return lines.join('\n');
}
