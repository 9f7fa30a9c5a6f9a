// crdb-studio command line: a thin driver over the platform-free cores.
import { readFileSync } from 'node:fs';
import { documentStatementsOnce } from '../../server/src/analysis/statements';
import { CONFIG_FILE, defaultConfig, parseConfigText, readConfig, type LintConfig } from '../../server/src/lint/config';
import { lintFile, LintSequence, type LintFinding, type SourceFile } from '../../server/src/lint/engine';
import { allRules } from '../../server/src/lint/rules';
import { StreamingLintSequence } from '../../server/src/lint/stream';
import { isMarkdown, lessonSessionStart, sqlOfMarkdown } from '../../server/src/markdown';
import { isDownMigrationFile, splitMigration } from '../../server/src/migrationSections';
import { normaliseCockroachVersion } from '../../protocol/src/languageServer';
import { formatGithub, formatJson, formatSarif, formatText, type Finding } from './formats';
import { expandGlob, GlobSyntaxError } from './glob';
import { LineIndex } from './lineIndex';
import { LintArgumentError, parseLintArguments, totalBytes } from './lintArguments';
import { exitOnClosedPipe, outputWritten, writeStderr, writeStdout } from './output';

// bin.ts asks the bundle's own output module (a copy of its own would not know what was written).
export { outputWritten };

declare const CLI_VERSION: string | undefined;
const version = typeof CLI_VERSION === 'string' ? CLI_VERSION : 'dev';

const USAGE = `Usage: crdb-studio <command> [options]

Commands:
  lint [--format text|json|sarif|github] [--config file] [--cockroach-version vX.Y] <files or globs>...
      Lint CockroachDB SQL files, and the \`\`\`sql blocks of Markdown files (.md); the schema
      built by earlier files is known to later ones.
      Configuration: --config, else ${CONFIG_FILE} in the current folder.
      Exit 0: no error-severity finding, 1: at least one, 2: bad usage or unreadable files.

  demo [--global[=false] | --no-global | --demo-locality region=R,az=Z:…] [--nodes N] [--port P] [--seed S] [--range-max-bytes B] [--store DIR]
      Start a simulated CockroachDB cluster serving the PostgreSQL wire protocol on 127.0.0.1
      (node N on port P+N-1, default 26257), like \`cockroach demo\`. \\demo ls|shutdown N|
      restart N|decommission N|recommission N|add region=R,az=Z work as statements.
      --global: 9 nodes in 3 regions (--global=false / --no-global: the default). Each reply
      waits out its statement's simulated latency in real time, as psql's \\timing shows.
      In memory unless --store DIR: then data, schema and topology are kept there across restarts.

  lesson <file.md> [--format text|json] [--nodes N] [--no-global] [--check]
      Run a lesson's \`\`\`sql blocks (and \`cockroach sql -e\` / node / workload lines) in order on
      a fresh simulated cluster; report each statement's result or error. Exit 1 on an error.
      --check: compare each step with the output the lesson prints after it (a fenced block
      with no language right after the step's block); exit 1 when any step differs.

  logictest [--config NAME] [--verbose] [--format text|json] <files>...
      Run files in CockroachDB's logic-test format (statement ok|error, query … ----, user,
      let, skipif/onlyif) each on a fresh simulated cluster laid out as the file's
      \`# LogicTest:\` configuration; report each file's passed statements and the failures.
      Exit 0 when everything passed, 1 when something failed, 2 on bad usage.

  node status [--ranges] [--decommission] [--all] [--url URL | --host H:P]
  node decommission|recommission <id>... [--url URL | --host H:P]
      The columns of \`cockroach node status\`, against a running demo (or any cluster).

  workload bank [--duration 10s] [--concurrency 2] [--accounts 1000] [--init] [URL]
      Transfers between accounts in explicit transactions (retried on 40001), like
      \`cockroach workload run bank\`; checks at the end that money was neither created nor lost.

Options:
  -h, --help      Show this help.
  -v, --version   Show the version.
`;

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

class UsageError extends Error {}

/** What the process running a command wants to know of it (bin.ts: how large a lint's input is). */
export interface CommandHooks {
  /** The bytes of the files a lint is about to read, before it reads them. */
  inputBytes?: (bytes: number) => void;
}

function loadConfig(file: string | undefined): LintConfig {
  const path = file ?? CONFIG_FILE;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (file === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return defaultConfig();
    throw new UsageError(`cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const { config, problems } = parseConfigText(text);
  if (problems.length > 0) throw new UsageError(`${path}: ${problems.join('; ')}`);
  return config;
}

function lintCommand(args: string[], out: (text: string) => void, hooks: CommandHooks): number {
  const { format: formatName, config: configFile, cockroachVersion: requestedVersion, files: positionals } = parseLintArguments(args);
  const format = formatName as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`unknown --format '${formatName}' (expected ${FORMATS.join(', ')})`);
  let config = loadConfig(configFile);
  if (requestedVersion !== undefined) {
    if (!normaliseCockroachVersion(requestedVersion))
      throw new UsageError(`--cockroach-version '${requestedVersion}' is not a version like v25.2`);
    config = readConfig({ cockroachVersion: requestedVersion }, config).config;
  }
  if (positionals.length === 0) throw new UsageError('lint needs at least one file');

  const files: string[] = [];
  let unreadable = 0;
  for (const argument of positionals) {
    const expanded = expandGlob(argument);
    if (expanded.length === 0) {
      unreadable++;
      writeStderr(`crdb-studio: no file matches ${argument}\n`);
    }
    files.push(...expanded);
  }
  hooks.inputBytes?.(totalBytes(files));

  const findings: Finding[] = [];
  // One model carried through the files in order: each file sees the schema the earlier ones built.
  const sequence = new LintSequence(config);
  // A Markdown file (a lesson) is linted as its SQL blocks, positions in the Markdown. A lesson
  // runs in a session of its own: it sees the schema of the .sql files before it, as in the
  // editor, starting in defaultdb, but neither other lessons' schema nor gives its own to the
  // files after it.
  const sqlFiles: SourceFile[] = [];
  const keepSqlFiles = files.some((file) => isMarkdown(file));
  // Without lessons nothing needs a file's statements after its lint: each file is read as a
  // stream of statements, each statement's tokens garbage as soon as its rules ran.
  const streaming = keepSqlFiles ? undefined : new StreamingLintSequence(config);
  const lintForward = (file: string, text: string): LintFinding[] => {
    if (streaming) return streaming.lint(file, text);
    const source: SourceFile = { uri: file, text, statements: documentStatementsOnce(text) };
    sqlFiles.push(source);
    return sequence.lint(source);
  };
  // A migration's rollback SQL (a .down.sql file, the Down sections of a file) is read for syntax
  // alone: no rule, and no part in the schema (migrationSections.ts).
  const lintRollback = (file: string, sql: string): LintFinding[] =>
    lintFile({ uri: file, text: sql, statements: documentStatementsOnce(sql) }, [], config, []);
  const lintOne = (file: string, text: string): LintFinding[] => {
    if (isMarkdown(file)) {
      const sql = sqlOfMarkdown(text).text;
      return lintFile({ uri: file, text: sql, statements: documentStatementsOnce(sql) }, [...sqlFiles, lessonSessionStart()], config);
    }
    if (isDownMigrationFile(file)) return lintRollback(file, text);
    const { forward, rollback } = splitMigration(text);
    const findings = lintForward(file, forward);
    return rollback === undefined ? findings : [...findings, ...lintRollback(file, rollback)].sort((a, b) => a.start - b.start);
  };
  let linted = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      unreadable++;
      writeStderr(`crdb-studio: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      continue;
    }
    const lines = new LineIndex(text);
    for (const f of lintOne(file, text)) {
      const start = lines.positionAt(f.start);
      const end = lines.positionAt(f.end);
      findings.push({
        file,
        line: start.line + 1,
        column: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
        rule: f.rule,
        severity: f.severity,
        message: f.message,
      });
    }
    linted++;
  }

  if (format === 'json') out(formatJson(findings));
  else if (format === 'sarif') out(formatSarif(findings, allRules, version));
  else if (format === 'github') out(formatGithub(findings));
  else out(formatText(findings, linted));
  if (unreadable > 0) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

type ClusterCommands = typeof import('./clusterBundle');

/**
 * The cluster commands live in the cluster bundle (the SQL engine is large), loaded on use, so
 * `crdb-studio lint` never pays for it. esbuild.mjs points this require at dist/cluster/cluster.js.
 */
function clusterCommand(
  command: 'demo' | 'lesson' | 'logictest' | 'node' | 'workload',
  args: string[],
  out: (text: string) => void,
): Promise<number> {
  process.stdout.on('error', exitOnClosedPipe);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const commands = require('./clusterBundle') as ClusterCommands;
  return commands[command](args, out);
}

export async function main(argv: string[], out: (text: string) => void = writeStdout, hooks: CommandHooks = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out(USAGE);
        return command === undefined ? 2 : 0;
      case '-v':
      case '--version':
        out(`${version}\n`);
        return 0;
      case 'lint':
        return lintCommand(rest, out, hooks);
      case 'demo':
      case 'lesson':
      case 'logictest':
      case 'node':
      case 'workload':
        return await clusterCommand(command, rest, out);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof LintArgumentError ||
      error instanceof GlobSyntaxError ||
      (error as Error).name === 'ClusterUsageError' ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      writeStderr(`crdb-studio: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

/** Runs the command line as this process: its exit code, or an internal error on stderr and exit 3. */
export function runProcess(argv: string[], hooks: CommandHooks = {}): Promise<void> {
  return main(argv, writeStdout, hooks).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      writeStderr(`crdb-studio: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 3;
    },
  );
}

// Run directly (node dist/cli/main.js); the crdb-studio command starts it through bin.ts instead.
if (require.main === module) void runProcess(process.argv.slice(2));
