// Lint cost against the size of the work: it should grow with the statements, not their square.
//   - `crdb-studio lint` of a generated schema split into 100 / 1,000 / 10,000 files of three
//     statements each, and the same statements in one file; beside it the old way (each file
//     linted on a model rebuilt from the files before it), up to 3,000 files: 10,000 take minutes
//   - the language server's hover and completion on a workspace of 100 / 1,000 / 10,000
//     statements: reading the lint session's model, and building one per request as before
// Every point is taken in a fresh process; the exponent is the least-squares slope of log(time)
// against log(size): 1 is linear, 2 quadratic. The old ways are measured in this same build.
// Usage: node bench/lintScaling.mjs [runs] [checkout]   (after `npx tsc -p tsconfig.json`; the
// checkout, by default this one, is the built tree to measure: another one compares builds)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const FILE_COUNTS = [100, 1_000, 10_000];
/** The old CLI's cost is quadratic: its largest point alone would take minutes. */
const OLD_FILE_COUNTS = [100, 300, 1_000, 3_000];
const WORKSPACE_STATEMENTS = [100, 1_000, 10_000];

function table(t) {
  return (
    `CREATE TABLE table_${t} (id UUID NOT NULL DEFAULT gen_random_uuid(), account_id UUID NOT NULL, ` +
    `amount DECIMAL(12, 2) NOT NULL DEFAULT 0, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (id));\n` +
    `CREATE INDEX table_${t}_by_account ON table_${t} (account_id, created_at);\n` +
    `CREATE INDEX table_${t}_by_time ON table_${t} (created_at);\n`
  );
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** Least-squares slope of log(ms) against log(size). */
function exponent(points) {
  const xs = points.map((p) => Math.log(p.size));
  const ys = points.map((p) => Math.log(p.ms));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * ((ys[i] ?? 0) - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

// ---- one measurement, in a process of its own -------------------------------------------------

async function child([mode, root, dir, sizeText, runsText]) {
  const require = createRequire(path.join(root, 'package.json'));
  const out = (...parts) => require(path.join(root, 'out', ...parts));
  const size = Number(sizeText);
  const runs = Number(runsText);
  if (mode === 'cli') {
    // The CLI's own entry, in process: its file reading, parsing, lint and JSON output.
    const { main } = out('cli', 'src', 'cli.js');
    const times = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await main(['lint', '--format', 'json', path.join(dir, '*.sql')], () => undefined);
      times.push(performance.now() - started);
    }
    return median(times);
  }
  if (mode === 'cli-old') {
    // The old CLI loop: each file linted with the files before it, replayed into a fresh model.
    const { documentStatementsOnce } = out('server', 'src', 'analysis', 'statements.js');
    const { lintFile } = out('server', 'src', 'lint', 'engine.js');
    const files = Array.from({ length: size }, (_, i) => path.join(dir, `${String(i).padStart(6, '0')}.sql`));
    const started = performance.now();
    const linted = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const source = { uri: file, text, statements: documentStatementsOnce(text) };
      lintFile(source, linted);
      linted.push(source);
    }
    return performance.now() - started;
  }
  // hover | completion | hover-old | completion-old: a workspace of `size` statements in files of
  // ten, and an open file after them; per request, as the server answers it.
  const { Workspace } = out('server', 'src', 'workspace.js');
  const { hover } = out('server', 'src', 'features', 'hover.js');
  const { completion } = out('server', 'src', 'features', 'completion.js');
  const { TextDocument } = require('vscode-languageserver-textdocument');
  const workspace = new Workspace();
  const tables = Math.ceil(size / 2);
  for (let f = 0; f * 5 < tables; f++) {
    let text = '';
    for (let t = f * 5; t < Math.min(tables, f * 5 + 5); t++)
      text += `CREATE TABLE table_${t} (id UUID PRIMARY KEY, account_id UUID, created_at TIMESTAMPTZ);\nCREATE INDEX ON table_${t} (account_id);\n`;
    workspace.open(TextDocument.create(pathToFileURL(`/w/${String(f).padStart(6, '0')}.sql`).toString(), 'sql', 1, text));
  }
  const uri = pathToFileURL('/w/zzz.sql').toString();
  const text = [
    'CREATE TABLE orders (id UUID PRIMARY KEY, customer INT8, total DECIMAL);',
    'SELECT orders. FROM orders;',
    'ALTER TABLE orders ADD COLUMN note STRING;',
    'SELECT * FROM orders;',
  ].join('\n');
  workspace.open(TextDocument.create(uri, 'sql', 1, text));
  workspace.lint(uri); // as the server does when the document opens
  const file = workspace.file(uri);
  const old = mode.endsWith('-old');
  // The old way, kept callable as freshModelAt; a build from before has it as modelAt.
  const modelAt = old
    ? (until) => (workspace.freshModelAt ?? workspace.modelAt).call(workspace, uri, until)
    : (until) => workspace.modelAt(uri, until);
  const onTable = text.lastIndexOf('orders') + 2;
  const afterDot = text.indexOf('orders.') + 'orders.'.length;
  const request = mode.startsWith('hover')
    ? () => hover(file.document, file.statements, [], () => modelAt(), onTable)
    : () => completion(file.statements, modelAt(afterDot), afterDot);
  const times = [];
  const budget = performance.now() + 3000;
  // Enough requests for a steady median, within a few seconds per point.
  for (let i = 0; i < 200 && (i < 5 || performance.now() < budget); i++) {
    const started = performance.now();
    const answer = request();
    times.push(performance.now() - started);
    if (!answer || (Array.isArray(answer) && answer.length === 0)) throw new Error(`${mode}: no answer`);
  }
  return median(times);
}

if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(await child(process.argv.slice(3))));
  process.exit(0);
}

// ---- the series -------------------------------------------------------------------------------

const runs = Number(process.argv[2] ?? 3);
const root = path.resolve(process.argv[3] ?? path.join(import.meta.dirname, '..'));
const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-scaling-'));

function measure(mode, target, size, times = runs) {
  const result = spawnSync(process.execPath, [import.meta.filename, '--child', mode, root, target, String(size), String(times)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${mode} ${size} failed:\n${result.stderr}`);
  return { size, ms: JSON.parse(result.stdout) };
}

function report(title, unit, points) {
  const figures = points.map((p) => `${p.size.toLocaleString('en')} ${unit}: ${p.ms < 10 ? p.ms.toFixed(3) : p.ms.toFixed(0)} ms`);
  console.log(`  ${title.padEnd(44)} ${figures.join(', ')}  → exponent ${exponent(points).toFixed(2)}`);
}

console.log(
  `lint scaling (${root === path.resolve(import.meta.dirname, '..') ? 'this checkout' : root}, Node ${process.version}, median of ${runs})`,
);
const split = [];
const single = [];
const old = [];
for (const files of [...new Set([...FILE_COUNTS, ...OLD_FILE_COUNTS])].sort((a, b) => a - b)) {
  const many = path.join(dir, `split-${files}`);
  const one = path.join(dir, `one-${files}`);
  mkdirSync(many);
  mkdirSync(one);
  let whole = '';
  for (let i = 0; i < files; i++) {
    writeFileSync(path.join(many, `${String(i).padStart(6, '0')}.sql`), table(i));
    whole += table(i);
  }
  writeFileSync(path.join(one, 'schema.sql'), whole);
  if (FILE_COUNTS.includes(files)) {
    split.push(measure('cli', many, files));
    single.push({ size: files, ms: measure('cli', one, 1).ms });
  }
  if (OLD_FILE_COUNTS.includes(files)) old.push(measure('cli-old', many, files, 1));
  rmSync(many, { recursive: true, force: true });
  rmSync(one, { recursive: true, force: true });
}
console.log('crdb-studio lint (3 statements a file):');
report('split into files', 'files', split);
report('the same statements in one file', 'files’ worth', single);
report('old: each file on a model of the files before', 'files', old);

console.log('language server, per request (a workspace of N statements, files of 10):');
for (const kind of ['hover', 'completion']) {
  report(
    `${kind}, on the lint session's model`,
    'statements',
    WORKSPACE_STATEMENTS.map((n) => measure(kind, '', n)),
  );
  report(
    `old: ${kind}, on a model built per request`,
    'statements',
    WORKSPACE_STATEMENTS.map((n) => measure(`${kind}-old`, '', n)),
  );
}
rmSync(dir, { recursive: true, force: true });
