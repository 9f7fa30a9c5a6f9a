// The parser's trees share their hidden classes: two statements of the same form give objects of
// the same V8 map. On Node 20 (V8 11) an object literal that spreads another object and then adds
// a property the other lacks gets a new map every time: the rules' reads of such trees were all
// megamorphic and the maps alone filled the young generation of a small file's lint. The maps are
// compared in a child process with V8's natives syntax (%HaveSameMap), which mocha's own does not
// allow.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const parser = path.join(__dirname, '..', '..', '..', 'sql', 'src', 'parser.js');

/** Pairs of statements of one form; each pair differs in its names only. */
const PAIRS: [string, string][] = [
  ['CREATE TABLE a (id UUID PRIMARY KEY, n INT NOT NULL)', 'CREATE TABLE b (id UUID PRIMARY KEY, m INT NOT NULL)'],
  ['CREATE INDEX a_i ON a (n)', 'CREATE INDEX b_i ON b (m)'],
  ['CREATE UNIQUE INDEX a_i ON a (n) STORING (x)', 'CREATE UNIQUE INDEX b_i ON b (m) STORING (y)'],
  ['SELECT 1', 'SELECT 2'],
  ['INSERT INTO a VALUES (1)', 'INSERT INTO b VALUES (2)'],
  ['DROP TABLE a', 'DROP TABLE b'],
  ['SHOW TABLES', 'SHOW TABLES'],
  ['EXPLAIN SELECT 1', 'EXPLAIN SELECT 2'],
  ['GRANT SELECT ON TABLE a TO u', 'GRANT SELECT ON TABLE b TO v'],
  ['CREATE SEQUENCE a', 'CREATE SEQUENCE b'],
  ['SET x = 1', 'SET y = 2'],
  ['USE a', 'USE b'],
  ['CREATE DATABASE a', 'CREATE DATABASE b'],
  ['ALTER TABLE a ADD COLUMN n INT', 'ALTER TABLE b ADD COLUMN m INT'],
  ['ALTER INDEX a@i RENAME TO j', 'ALTER INDEX b@k RENAME TO l'],
  ['ALTER TABLE a CONFIGURE ZONE USING num_replicas = 3', 'ALTER TABLE b CONFIGURE ZONE USING num_replicas = 5'],
  ['CREATE EXTENSION a', 'CREATE EXTENSION b'],
  ['BEGIN', 'BEGIN'],
];

/** Walks both trees side by side (run in the child): every pair of objects at one place must share a map. */
const CHILD = `
const { parseDocument } = require(${JSON.stringify(parser)});
const pairs = JSON.parse(process.argv[1]);
const differing = [];
function walk(a, b, where) {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return;
  if (!%HaveSameMap(a, b)) differing.push(where);
  for (const key of Object.keys(a)) if (key in b) walk(a[key], b[key], where + '.' + key);
}
// Many rounds: the maps went apart once the parser's functions were optimised, as in a large file.
for (let round = 0; round < 3000; round++) {
  for (const [first, second] of pairs) {
    const a = parseDocument(first).statements[0].statement;
    const b = parseDocument(second).statements[0].statement;
    if (round === 0 || round === 2999) walk(a, b, first);
  }
}
process.stdout.write(JSON.stringify([...new Set(differing)]));
`;

describe('parser: statement trees share their hidden classes', () => {
  it('gives two statements of one form objects of the same maps, node for node', function () {
    this.timeout(30_000);
    const result = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', CHILD, JSON.stringify(PAIRS)], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout) as string[], []);
  });
});
