// The formatter on the CockroachDB statement corpus (shared/corpus):
//   - correctness, ours beside sql-formatter (postgresql dialect), the well-kept library one would
//     reach for first: per statement, does it throw, does the formatted text lex to other tokens
//     (keyword case and whitespace aside) or lose a comment, does the project's parser find new
//     syntax errors in it, is formatting it again a no-op
//   - throughput, statements/s and MB/s, both on the same statements in the same run
//   - growth with size: one document of the corpus's statements repeated 1, 4 and 16 times, with
//     the fitted exponent (1: linear)
// sql-formatter is not a dependency: it is read from CRDB_PEERS_DIR (where `npm run bench` puts
// the peer tools), or skipped with a note.
// Usage: node bench/format.mjs [runs]   (after `npx tsc -p tsconfig.json`)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { formatSql, meaningOf } = require(path.join(root, 'out/sql/src/format/format.js'));
const { parseDocument } = require(path.join(root, 'out/sql/src/parser.js'));

const runs = Number(process.argv[2] ?? 3);
const shared = process.env.CRDB_SHARED_DIR ?? path.join(root, '..', 'shared');
const corpus = readFileSync(path.join(shared, 'corpus', 'crdb-parser-statements.sql'), 'utf8');
const statements = corpus
  .split(/^-- @@ .*$/m)
  .slice(1)
  .map((s) => s.trim())
  .filter((s) => s.length > 0);

function loadSqlFormatter() {
  const peers = process.env.CRDB_PEERS_DIR;
  if (!peers) return undefined;
  try {
    const library = createRequire(path.join(peers, 'package.json'))('sql-formatter');
    const version = JSON.parse(readFileSync(path.join(peers, 'node_modules', 'sql-formatter', 'package.json'), 'utf8')).version;
    return { format: (sql) => library.format(sql, { language: 'postgresql' }), version };
  } catch {
    return undefined;
  }
}

const errorCount = (sql) => parseDocument(sql).statements.reduce((n, s) => n + s.errors.length, 0);
const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

function correctness(format) {
  const result = { threw: 0, meaningChanged: 0, newSyntaxErrors: 0, notIdempotent: 0, changed: 0, examples: [] };
  for (const sql of statements) {
    let formatted;
    try {
      formatted = format(sql);
    } catch {
      result.threw++;
      continue;
    }
    if (formatted !== sql) result.changed++;
    const meaningChanged = !same(meaningOf(sql), meaningOf(formatted));
    if (meaningChanged) {
      result.meaningChanged++;
      if (result.examples.length < 5) result.examples.push({ before: sql, after: formatted });
    }
    if (errorCount(formatted) > errorCount(sql)) result.newSyntaxErrors++;
    try {
      if (format(formatted) !== formatted) result.notIdempotent++;
    } catch {
      result.notIdempotent++;
    }
  }
  return result;
}

function bestOf(fn) {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function throughput(format) {
  const bytes = statements.reduce((n, s) => n + Buffer.byteLength(s), 0);
  const ms = bestOf(() => {
    for (const sql of statements) {
      try {
        format(sql);
      } catch {
        // counted in correctness
      }
    }
  });
  return { ms, perSecond: (statements.length / ms) * 1000, mbPerSecond: bytes / 1e6 / (ms / 1000) };
}

function report(name, c, t) {
  console.log(
    `${name}: ${statements.length} statements; threw on ${c.threw}, changed the tokens of ${c.meaningChanged}, ` +
      `new syntax errors in ${c.newSyntaxErrors}, not idempotent on ${c.notIdempotent} (reformatted ${c.changed})`,
  );
  console.log(
    `${name}: ${t.ms.toFixed(0)} ms for the corpus = ${Math.round(t.perSecond).toLocaleString('en-US')} statements/s, ` +
      `${t.mbPerSecond.toFixed(2)} MB/s`,
  );
}

const ours = { format: (sql) => formatSql(sql) };
report('crdb-studio', correctness(ours.format), throughput(ours.format));

const library = loadSqlFormatter();
if (library) {
  const c = correctness(library.format);
  report(`sql-formatter ${library.version} (postgresql)`, c, throughput(library.format));
  for (const example of c.examples.slice(0, 3))
    console.log(`  e.g. ${JSON.stringify(example.before)}\n    → ${JSON.stringify(example.after)}`);
} else {
  console.log('sql-formatter: not measured (CRDB_PEERS_DIR has no sql-formatter; `npm run bench` installs it there)');
}

// Growth with size: one document, the corpus repeated. Only statements that parse alone go in:
// the corpus has a few with an unterminated quote, which would swallow the rest of a document.
const document = statements.filter((s) => parseDocument(s).statements.length === 1 && errorCount(s) === 0).join(';\n\n') + ';\n';
const points = [1, 4, 16].map((copies) => {
  const text = document.repeat(copies);
  const ms = bestOf(() => formatSql(text));
  return { copies, bytes: Buffer.byteLength(text), ms };
});
const xs = points.map((p) => Math.log(p.bytes));
const ys = points.map((p) => Math.log(p.ms));
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const mx = mean(xs);
const my = mean(ys);
const slope = xs.reduce((n, x, i) => n + (x - mx) * ((ys[i] ?? 0) - my), 0) / xs.reduce((n, x) => n + (x - mx) ** 2, 0);
for (const p of points)
  console.log(
    `one document, corpus ×${p.copies} (${(p.bytes / 1e6).toFixed(1)} MB): ${p.ms.toFixed(0)} ms, ${(p.bytes / 1e6 / (p.ms / 1000)).toFixed(2)} MB/s`,
  );
console.log(`growth exponent (time against size): ${slope.toFixed(2)}`);
