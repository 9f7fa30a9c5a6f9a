// The `cockroach sql` shell's client-side commands, accepted as statements from any client: a line
// starting with a backslash (the lexer's 'command' token), and the words quit, exit and help typed
// alone on a line. CockroachDB's shell handles these itself (pkg/cli/clisqlshell sql.go
// doHandleCliCmd, describe.go); the simulator answers them as that shell would, so lessons that type
// them into `cockroach sql` or `cockroach demo` run here too.
//
//   \q \quit \exit, quit, exit   end the shell: a result tagged QUIT, nothing else happens here; a
//                                caller driving a shell (the lesson runner) closes it on that tag.
//   \? \help, help               a short list of what this shell accepts.
//   \dt \dv \ds \d [pattern]     tables / views / sequences / all three, as current CockroachDB lists
//                                them: Schema, Name, Type, Owner (read from SHOW TABLES), system
//                                schemas left out unless a LIKE pattern names them.
//   \dn [pattern]                schemas: Name, Owner (from SHOW SCHEMAS), likewise.
//   \d TABLE                     SHOW COLUMNS FROM TABLE. (Current CockroachDB prints a psql-style
//   \l                           description; these three give the SHOW statement the shell ran
//   \du [USER]                   up to v22.2: SHOW DATABASES, SHOW USERS [for one user].)
//   \h [STATEMENT] \hf [FUNC]    short synopses (shellHelp.ts says where the real texts come from).
//   \set NAME[=VALUE] \unset     client-side options: checked and kept for the session, no effect
//   \x [on|off]                  on how results are printed here; \set alone lists those set.
//   \echo TEXT                   prints TEXT.
//   \c [DB]                      switches database (USE DB) and says so; \c alone shows the URL.
//   \demo …                      demoCommands.ts.
//   \! CMD                       not here: the session sends it to the lab before splitting SQL.
// Anything else the real shell has (\i, \o, \|, \copy, \password, \dd, \dT, \df, …) answers that the
// simulated cluster does not support it; a command the real shell does not know is invalid syntax.
import { quoteIdent } from '../../../sql/src/names';
import type { SqlSession } from './context';
import { runDemoCommand } from './demoCommands';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { emptyResult, notice, rowsResult, type QueryResult } from './result';
import { functionHelp, helpTopics, statementHelp } from './shellHelp';

/** Runs one SQL statement in the session, as if typed (the shell sends these for \dt, \l, …). */
export type RunSql = (sql: string) => Promise<QueryResult>;

/** The tag of the result that ends the shell (\q, quit, exit). */
export const QUIT_TAG = 'QUIT';

/** Words the shell takes as commands when they are a whole line, exactly as typed. */
const SHELL_WORDS = new Set(['quit', 'exit', 'help']);

/** True for a statement that is one of the shell's bare words (quit, exit, help), not SQL. */
export function isShellWord(text: string): boolean {
  return SHELL_WORDS.has(text.trim());
}

/** Client-side options \set knows (sql.go's options table); booleans take true/false/on/off/1/0. */
const BOOLEAN_OPTIONS = new Set(['echo', 'errexit', 'check_syntax', 'show_times', 'show_server_times', 'verbose_times', 'smart_prompt']);
const TEXT_OPTIONS = new Set(['auto_trace', 'border', 'display_format', 'prompt1']);
const DISPLAY_FORMATS = new Set(['table', 'csv', 'tsv', 'html', 'sql', 'records', 'raw', 'ndjson', 'json', 'unnumbered']);

/** Commands of the real shell the simulator does not carry out. */
const UNSUPPORTED = new Set([
  '\\i',
  '\\ir',
  '\\o',
  '\\qecho',
  '\\|',
  '\\copy',
  '\\.',
  '\\password',
  '\\statement-diag',
  '\\p',
  '\\r',
  '\\show',
  '\\connect+',
  '\\sf',
  '\\sv',
  '\\l+',
]);

/** Options set with \set, per session (they live in the client, which here is the session). */
const sessionOptions = new WeakMap<SqlSession, Map<string, string>>();

function optionsOf(session: SqlSession): Map<string, string> {
  let options = sessionOptions.get(session);
  if (!options) {
    options = new Map();
    sessionOptions.set(session, options);
  }
  return options;
}

/** clisqlshell invalidSyntax: the line as typed, then where to look. */
function invalidSyntax(line: string): SqlError {
  return new SqlError(SQLSTATE.syntax, `invalid syntax: ${line}. Try \\? for help.`);
}

function printed(text: string, lines: string, tag = ''): QueryResult {
  const result = emptyResult(text, tag);
  result.notices.push(notice(lines));
  return result;
}

/** clisqlclient.ParseBool's spellings. */
function parseBool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (['true', 'on', 'yes', '1', 't'].includes(v)) return true;
  if (['false', 'off', 'no', '0', 'f'].includes(v)) return false;
  return undefined;
}

/** SQL LIKE: % any run, _ any one character, \ escapes the next. */
export function likeMatches(value: string, pattern: string): boolean {
  const match = (vi: number, pi: number): boolean => {
    while (pi < pattern.length) {
      const p = pattern[pi];
      if (p === '%') {
        for (let k = vi; k <= value.length; k++) if (match(k, pi + 1)) return true;
        return false;
      }
      if (vi >= value.length) return false;
      if (p === '\\' && pi + 1 < pattern.length) {
        if (value[vi] !== pattern[pi + 1]) return false;
        pi += 2;
      } else {
        if (p !== '_' && p !== value[vi]) return false;
        pi++;
      }
      vi++;
    }
    return vi === value.length;
  };
  return match(0, 0);
}

/** Schemas a listing leaves out unless a pattern names them (describe.go's filter). */
function isSystemSchema(name: string): boolean {
  return name.startsWith('pg_') || name === 'crdb_internal' || name === 'information_schema';
}

function column(result: QueryResult, name: string): number {
  return result.fields.findIndex((f) => f.name === name);
}

/** A listing as the shell's describe commands print it: a title line, then the table. */
function titled(result: QueryResult, title: string): QueryResult {
  result.tag = `SELECT ${result.rows.length}`;
  result.notices.push(notice(title));
  return result;
}

/** \dn [pattern]: Name, Owner. */
async function listSchemas(text: string, pattern: string | undefined, runSql: RunSql): Promise<QueryResult> {
  const shown = await runSql('SHOW SCHEMAS');
  if (shown.error) return { ...shown, statement: text };
  const name = column(shown, 'schema_name');
  const owner = column(shown, 'owner');
  const rows = shown.rows
    .map((r) => [r[name] ?? '', owner >= 0 ? (r[owner] ?? null) : null])
    .filter(([n]) => (pattern === undefined ? !isSystemSchema(n ?? '') : likeMatches(n ?? '', pattern)))
    .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
  return titled(rowsResult(text, ['Name', 'Owner'], rows), 'List of schemas:');
}

/** \d, \dt, \dv, \ds [pattern]: Schema, Name, Type, Owner of the kinds the letters ask for. */
async function listRelations(text: string, kinds: ReadonlySet<string>, pattern: string | undefined, runSql: RunSql): Promise<QueryResult> {
  const shown = await runSql('SHOW TABLES');
  if (shown.error) return { ...shown, statement: text };
  const schema = column(shown, 'schema_name');
  const name = column(shown, 'table_name');
  const type = column(shown, 'type');
  const owner = column(shown, 'owner');
  const rows = shown.rows
    .map((r) => [r[schema] ?? '', r[name] ?? '', r[type] ?? 'table', owner >= 0 ? (r[owner] ?? null) : null])
    .filter((r) => kinds.has(r[2] ?? '') && (pattern === undefined ? !isSystemSchema(r[0] ?? '') : likeMatches(r[1] ?? '', pattern)))
    .sort((a, b) => `${a[0]}.${a[1]}`.localeCompare(`${b[0]}.${b[1]}`));
  return titled(rowsResult(text, ['Schema', 'Name', 'Type', 'Owner'], rows), 'List of relations:');
}

const RELATION_KINDS: Readonly<Record<string, string>> = { t: 'table', v: 'view', m: 'materialized view', s: 'sequence' };

/** The letters after \d (t, v, m, s, any mix; none: all four), or undefined for another command. */
function relationKinds(command: string): Set<string> | undefined {
  const letters = command.slice(2).replace(/[S+]+$/, '');
  if (letters === '') return new Set(Object.values(RELATION_KINDS));
  const kinds = new Set<string>();
  for (const letter of letters) {
    const kind = RELATION_KINDS[letter];
    if (!kind) return undefined;
    kinds.add(kind);
  }
  return kinds;
}

function handleSet(session: SqlSession, text: string, line: string, args: string[]): QueryResult {
  const options = optionsOf(session);
  if (args.length === 0) {
    const rows = [...options].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v]);
    return rowsResult(text, ['Option', 'Value'], rows);
  }
  // One word may carry its value after '=' (\set display_format=csv).
  const first = args[0] ?? '';
  const eq = args.length === 1 ? first.indexOf('=') : -1;
  const [name = '', ...rest] = eq >= 0 ? [first.slice(0, eq), first.slice(eq + 1)] : args;
  if (rest.length > 1) throw invalidSyntax(line);
  const value = rest[0] ?? 'true';
  if (BOOLEAN_OPTIONS.has(name)) {
    const b = parseBool(value);
    if (b === undefined) throw invalidSyntax(line);
    options.set(name, String(b));
  } else if (TEXT_OPTIONS.has(name)) {
    if (name === 'display_format' && !DISPLAY_FORMATS.has(value))
      throw new SqlError(SQLSTATE.invalidParameterValue, `\\set ${args.join(' ')}: invalid display format: ${value}`);
    if (name === 'border' && !['0', '1', '2', '3'].includes(value))
      throw new SqlError(SQLSTATE.invalidParameterValue, `\\set ${args.join(' ')}: only values between 0 and 3 are supported`);
    options.set(name, value);
  } else throw invalidSyntax(line);
  return emptyResult(text);
}

function handleUnset(session: SqlSession, text: string, line: string, args: string[]): QueryResult {
  const name = args[0] ?? '';
  if (args.length !== 1 || (!BOOLEAN_OPTIONS.has(name) && !TEXT_OPTIONS.has(name))) throw invalidSyntax(line);
  optionsOf(session).delete(name);
  return emptyResult(text);
}

/** The URL a client of this session's node would use (insecure: see demoCommands.ts). */
function connectionUrl(session: SqlSession, database: string): string {
  const address = session.cluster.sqlAddress(session.nodeId) ?? `127.0.0.1:${26256 + session.nodeId}`;
  return `postgresql://${encodeURIComponent(session.user)}@${address}/${encodeURIComponent(database)}?sslmode=disable`;
}

async function handleConnect(session: SqlSession, text: string, args: string[], runSql: RunSql): Promise<QueryResult> {
  if (args.length === 0) {
    return printed(
      text,
      [
        `Connection string: ${connectionUrl(session, session.database)}`,
        `You are connected to database ${JSON.stringify(session.database)} as user ${JSON.stringify(session.user)}.`,
      ].join('\n'),
    );
  }
  if (args.length > 4) throw new SqlError(SQLSTATE.syntax, `unknown syntax: \\c ${args.join(' ')}`);
  const [database = '-', ...others] = args;
  if (others.some((a) => a !== '-') || database.startsWith('postgres://') || database.startsWith('postgresql://'))
    throw notSimulated('\\c with another user, host, port or URL');
  if (database === '-') return printed(text, `using new connection URL: ${connectionUrl(session, session.database)}`);
  const used = await runSql(`USE ${quoteIdent(database)}`);
  if (used.error) return { ...used, statement: text };
  return printed(text, `using new connection URL: ${connectionUrl(session, database)}`);
}

const HELP = [
  'You are using the simulated cluster’s stand-in for the cockroach sql shell.',
  '  \\q, quit, exit        end the shell.',
  '  \\? or help            this list.',
  '  \\h [NAME]             synopsis of a SQL statement; \\hf [NAME] of a built-in function.',
  '  \\l, \\dt, \\d [TABLE], \\dn, \\du [USER]   databases, tables, columns, schemas, users.',
  '  \\c [DB]               switch to another database, or show the connection.',
  '  \\set NAME[=VALUE], \\unset NAME, \\x [on|off]   client options (accepted, not applied here).',
  '  \\echo TEXT            print TEXT.',
  '  \\! CMD                run a command in the lab.',
  '  \\demo ls|shutdown N|restart N|decommission N|add LOCALITY   the demo cluster’s nodes.',
].join('\n');

/**
 * Runs a shell command line (`\…`, or quit/exit/help). `runSql` runs the SQL statement a command
 * stands for (\l, \du, \d TABLE, \c, and the listings' SHOW statements).
 */
export async function runShellCommand(session: SqlSession, text: string, line: string, runSql: RunSql): Promise<QueryResult> {
  // The shell strips a final semicolon (and spaces) from every command.
  let trimmed = line.trim();
  while (trimmed.endsWith(';') || trimmed.endsWith(' ')) trimmed = trimmed.slice(0, -1);
  const words = trimmed.split(/\s+/).filter((w) => w !== '');
  const [command = '', ...args] = words;
  switch (command) {
    case 'quit':
    case 'exit':
    case '\\q':
    case '\\quit':
    case '\\exit':
      return emptyResult(text, QUIT_TAG);
    case 'help':
    case '\\':
    case '\\?':
    case '\\help':
      return printed(text, HELP);
    case '\\demo':
      return runDemoCommand(session, text, trimmed);
    case '\\echo':
      return printed(text, args.join(' '));
    case '\\set':
      return handleSet(session, text, trimmed, args);
    case '\\unset':
      return handleUnset(session, text, trimmed, args);
    case '\\x': {
      if (args.length > 1) throw invalidSyntax(trimmed);
      const options = optionsOf(session);
      const records = args[0] === undefined ? options.get('display_format') !== 'records' : parseBool(args[0]);
      if (records === undefined) throw invalidSyntax(trimmed);
      options.set('display_format', records ? 'records' : 'table');
      return emptyResult(text);
    }
    case '\\h': {
      if (args.length === 0) return printed(text, helpTopics());
      const help = statementHelp(args.join(' '));
      if (!help)
        throw new SqlError(
          SQLSTATE.syntax,
          `no help available for ${JSON.stringify(args.join(' '))}`,
          'Try \\h with no argument to see available help.',
        );
      return printed(text, help);
    }
    case '\\hf': {
      if (args.length === 0) throw notSimulated('listing every built-in function (\\hf without a name)');
      const help = functionHelp(args.join(' '));
      if (!help)
        throw new SqlError(
          SQLSTATE.syntax,
          `no help available for ${JSON.stringify(args.join(' '))}`,
          'Try \\hf with no argument to see available help.',
        );
      return printed(text, help);
    }
    case '\\c':
    case '\\connect':
      return handleConnect(session, text, args, runSql);
    case '\\l':
      if (args.length > 0) throw notSimulated('\\l with a pattern');
      return { ...(await runSql('SHOW DATABASES')), statement: text };
    case '\\du':
    case '\\dg': {
      if (args.length > 1) throw invalidSyntax(trimmed);
      // The shell filters SHOW USERS to the one user asked for.
      const users = { ...(await runSql('SHOW USERS')), statement: text };
      const user = args[0];
      if (user === undefined || users.error) return users;
      const name = column(users, 'username');
      users.rows = users.rows.filter((r) => r[name] === user);
      users.tag = `SHOW ${users.rows.length}`;
      return users;
    }
    case '\\dn':
    case '\\dnS':
      if (args.length > 1) throw invalidSyntax(trimmed);
      return listSchemas(text, args[0], runSql);
    default:
      break;
  }
  if (command.startsWith('\\d')) {
    if (args.length > 1)
      throw new SqlError(
        SQLSTATE.syntax,
        `unsupported command: ${command} with ${args.length} arguments`,
        'Use the SQL SHOW statement to inspect your schema.',
      );
    if (command === '\\d' && args[0] !== undefined) return { ...(await runSql(`SHOW COLUMNS FROM ${args[0]}`)), statement: text };
    const kinds = relationKinds(command);
    if (kinds) return listRelations(text, kinds, args[0], runSql);
    throw notSimulated(command);
  }
  if (UNSUPPORTED.has(command)) throw notSimulated(command);
  throw invalidSyntax(trimmed);
}
