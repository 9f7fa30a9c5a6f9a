// One in-process lint measurement, in its own process (spawned by bench/lint.mjs):
//   full <file> <runs>  lint the file from scratch (fresh caches), median of the runs
//   edit <file> <runs>  with the language server's caches warm, re-lint after a one-character
//                       edit in the middle of the file, median of the runs
// Prints {"ms": …, "findings": …}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { documentStatements, StatementCache } = require(path.join(root, 'out', 'server', 'src', 'analysis', 'statements.js'));
const { lintFile, LintCache } = require(path.join(root, 'out', 'server', 'src', 'lint', 'engine.js'));

const [mode, file, runsText] = process.argv.slice(2);
// Enough runs to measure the warmed-up code, as in a language server after its first minutes.
const runs = Math.max(Number(runsText ?? 5) * 4, 20);
const text = readFileSync(file, 'utf8');
// As the language server does: statement and finding caches that live with the document.
const lint = (source, statements, findings) =>
  lintFile(
    { uri: 'file:///schema.sql', text: source, statements: documentStatements(source, statements) },
    [],
    undefined,
    undefined,
    findings,
  );

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

const times = [];
let findings = 0;
if (mode === 'full') {
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    findings = lint(text, new StatementCache(), new LintCache()).length;
    times.push(performance.now() - started);
  }
} else {
  const statements = new StatementCache();
  const findingCache = new LintCache();
  findings = lint(text, statements, findingCache).length;
  const middle = text.indexOf('amount DECIMAL', text.length >> 1);
  // Edits are cheap: many of them, for a median that the machine's noise does not move much.
  for (let i = 0; i < 300; i++) {
    // Alternate two versions so each edit is a real change against the caches.
    const edited = `${text.slice(0, middle)}${i % 2 === 0 ? 'x' : 'y'}${text.slice(middle)}`;
    const started = performance.now();
    lint(edited, statements, findingCache);
    times.push(performance.now() - started);
  }
}
process.stdout.write(JSON.stringify({ ms: median(times), findings }));
