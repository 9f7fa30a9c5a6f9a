import * as assert from 'node:assert/strict';
import { scopeOf, tokenize } from '../support/grammar';

describe('CockroachDB SQL grammar', () => {
  const cases: [sql: string, token: string, scope: string][] = [
    ['CREATE TABLE users (id UUID PRIMARY KEY) LOCALITY REGIONAL BY ROW;', 'LOCALITY', 'keyword.other.multiregion.locality.sql'],
    ['CREATE TABLE users (id UUID PRIMARY KEY) LOCALITY REGIONAL BY ROW;', 'REGIONAL BY ROW', 'keyword.other.multiregion.locality.sql'],
    ['ALTER TABLE t SET LOCALITY regional by table in "us-east1";', 'regional by table', 'keyword.other.multiregion.locality.sql'],
    ['CREATE TABLE promo (code STRING) LOCALITY GLOBAL;', 'GLOBAL', 'keyword.other.multiregion.locality.sql'],
    ['ALTER DATABASE movr SURVIVE REGION FAILURE;', 'SURVIVE REGION FAILURE', 'keyword.other.multiregion.survival.sql'],
    ['ALTER DATABASE movr SURVIVE ZONE FAILURE;', 'SURVIVE ZONE FAILURE', 'keyword.other.multiregion.survival.sql'],
    ['ALTER DATABASE movr PRIMARY REGION "us-east1";', 'PRIMARY REGION', 'keyword.other.multiregion.region.sql'],
    ['ALTER DATABASE movr ADD REGION "europe-west1";', 'ADD REGION', 'keyword.other.multiregion.region.sql'],
    ['ALTER DATABASE movr ADD REGION "europe-west1";', 'europe-west1', 'string.quoted.double.identifier.sql'],
    ['CREATE INDEX ON events (ts) USING HASH WITH (bucket_count = 8);', 'USING HASH', 'keyword.other.hash-sharded.sql'],
    ['CREATE INDEX ON events (ts) USING HASH WITH (bucket_count = 8);', 'bucket_count', 'keyword.other.sql'],
    ['CREATE INDEX i ON t (a) STORING (b, c);', 'STORING', 'keyword.other.sql'],
    ['CREATE TABLE t (a INT, FAMILY f1 (a));', 'FAMILY', 'keyword.other.sql'],
    ['ALTER TABLE t CONFIGURE ZONE USING num_replicas = 5;', 'CONFIGURE ZONE', 'keyword.other.zone-config.sql'],
    ['ALTER TABLE t CONFIGURE ZONE USING num_replicas = 5;', 'num_replicas', 'support.variable.zone-config.sql'],
    ['SELECT * FROM t AS OF SYSTEM TIME follower_read_timestamp();', 'AS OF SYSTEM TIME', 'keyword.other.time-travel.sql'],
    ['SELECT * FROM t AS OF SYSTEM TIME follower_read_timestamp();', 'follower_read_timestamp', 'support.function.sql'],
    ['UPSERT INTO kv VALUES (1, 2);', 'UPSERT', 'keyword.other.dml.sql'],
    ['SHOW RANGES FROM TABLE users WITH DETAILS;', 'SHOW RANGES', 'keyword.other.show.sql'],
    ['SHOW ZONE CONFIGURATIONS;', 'SHOW ZONE CONFIGURATIONS', 'keyword.other.show.sql'],
    ['SHOW REGIONS FROM DATABASE movr;', 'SHOW REGIONS', 'keyword.other.show.sql'],
    ['CREATE TABLE t (crdb_region crdb_internal_region NOT NULL);', 'crdb_internal_region', 'storage.type.region.sql'],
    ['SELECT * FROM crdb_internal.gossip_nodes;', 'crdb_internal', 'support.other.schema.sql'],
    ['CREATE TABLE t (a STRING, b BYTES, c INT8, d JSONB, e TIMESTAMPTZ, f DECIMAL);', 'STRING', 'storage.type.sql'],
    ['CREATE TABLE t (a STRING, b BYTES, c INT8, d JSONB, e TIMESTAMPTZ, f DECIMAL);', 'BYTES', 'storage.type.sql'],
    ['CREATE TABLE t (a STRING, b BYTES, c INT8, d JSONB, e TIMESTAMPTZ, f DECIMAL);', 'INT8', 'storage.type.sql'],
    ['CREATE TABLE t (a STRING, b BYTES, c INT8, d JSONB, e TIMESTAMPTZ, f DECIMAL);', 'JSONB', 'storage.type.sql'],
    ['CREATE TABLE t (id UUID DEFAULT gen_random_uuid());', 'UUID', 'storage.type.sql'],
    ['CREATE TABLE t (id UUID DEFAULT gen_random_uuid());', 'gen_random_uuid', 'support.function.sql'],
    ['CREATE TABLE t (id INT DEFAULT unique_rowid());', 'unique_rowid', 'support.function.sql'],
    ['CREATE TABLE t (a DOUBLE PRECISION);', 'DOUBLE PRECISION', 'storage.type.sql'],
    ['CREATE TABLE c (id INT) INTERLEAVE IN PARENT p (id);', 'INTERLEAVE IN PARENT', 'invalid.deprecated.interleave.sql'],
    ['BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED;', 'ISOLATION', 'keyword.other.transaction.sql'],
    ['SAVEPOINT cockroach_restart;', 'cockroach_restart', 'support.constant.savepoint.sql'],
    ['SELECT my_func(1);', 'my_func', 'entity.name.function.sql'],
    ['CREATE TABLE carts (id UUID);', 'carts', 'entity.name.table.sql'],
    ['CREATE TABLE IF NOT EXISTS shop.carts (id UUID);', 'shop.carts', 'entity.name.table.sql'],
    ['INSERT INTO accounts (owner) VALUES (1);', 'accounts', 'entity.name.table.sql'],
    ['CREATE INDEX events_by_time ON events (created_at);', 'events_by_time', 'entity.name.index.sql'],
    ['CREATE INDEX events_by_time ON events (created_at);', 'events', 'entity.name.table.sql'],
    ['CREATE TABLE t (a INT, INDEX t_by_a (a));', 't_by_a', 'entity.name.index.sql'],
    ['SELECT * FROM generate_series(1, 10);', 'generate_series', 'support.function.sql'],
    ['SELECT 42, 3.14, 1e10, 0xFF;', '42', 'constant.numeric.sql'],
    ['SELECT 42, 3.14, 1e10, 0xFF;', '0xFF', 'constant.numeric.hex.sql'],
    ['SELECT $1::INT8;', '$1', 'variable.parameter.placeholder.sql'],
    ['SELECT $1::INT8;', '::', 'keyword.operator.cast.sql'],
    ['SELECT NULL, TRUE;', 'NULL', 'constant.language.sql'],
    ['\\demo shutdown 3', '\\demo', 'keyword.other.client-command.sql'],
    ['> SELECT 1;', '>', 'punctuation.definition.prompt.sql'],
    ['-- crdb-studio-ignore sequential-primary-key: legacy table', 'crdb-studio-ignore', 'keyword.other.directive.crdb-studio.sql'],
  ];
  for (const [sql, token, scope] of cases) {
    it(`scopes ${token} in ${sql}`, async () => {
      assert.equal(await scopeOf(sql, token), scope);
    });
  }

  it('keeps keywords inside strings, quoted identifiers and comments out of keyword scopes', async () => {
    assert.equal(await scopeOf(`SELECT 'it''s LOCALITY';`, 'it'), 'string.quoted.single.sql');
    assert.equal(await scopeOf(`SELECT 'it''s LOCALITY';`, "''"), 'constant.character.escape.sql');
    assert.equal(await scopeOf('SELECT "LOCALITY" FROM t;', 'LOCALITY'), 'string.quoted.double.identifier.sql');
    assert.equal(await scopeOf('-- LOCALITY GLOBAL', 'LOCALITY GLOBAL'), 'comment.line.double-dash.sql');
    const nested = await tokenize('/* outer /* inner */ still comment */ SELECT');
    const still = nested[0]?.find((t) => t.text.includes('still comment'));
    assert.ok(still?.scopes.includes('comment.block.sql'), 'nested block comments stay comments');
    assert.equal(await scopeOf('/* a /* b */ c */ SELECT', 'SELECT'), 'keyword.other.dml.sql');
  });

  it('treats dollar-quoted bodies as strings across lines, and E/B/X strings by their escapes', async () => {
    const lines = await tokenize('CREATE FUNCTION f() RETURNS INT AS $body$\n  SELECT LOCALITY;\n$body$ LANGUAGE SQL;');
    assert.ok(
      lines[1]?.every((t) => t.scopes.includes('string.quoted.dollar.sql')),
      'body line is inside the dollar quote',
    );
    assert.equal(lines[2]?.find((t) => t.text === 'LANGUAGE')?.scopes.at(-1), 'keyword.other.sql');
    assert.equal(await scopeOf(`SELECT e'a\\'b';`, "\\'"), 'constant.character.escape.sql');
    assert.equal(await scopeOf(`SELECT b'\\x41';`, '\\x'), 'constant.character.escape.sql');
  });

  it('does not take identifiers that contain keywords for keywords', async () => {
    const [line] = await tokenize('SELECT global_id, regional_total, interleaved FROM selected;');
    for (const word of ['global_id', 'regional_total', 'interleaved', 'selected']) {
      const token = line?.find((t) => t.text.trim() === word);
      assert.ok(token, `${word} is a token of its own`);
      assert.ok(!token.scopes.some((s) => s.startsWith('keyword')), `${word} is not a keyword: ${token.scopes.join(' ')}`);
    }
  });

  describe('in Markdown lessons', () => {
    const lesson = [
      '# Lesson',
      '',
      'Run this:',
      '',
      '```sql',
      'ALTER DATABASE movr SURVIVE REGION FAILURE;',
      '```',
      '',
      '~~~ sql',
      '> CREATE TABLE t (id UUID) LOCALITY GLOBAL;',
      '~~~',
      '',
      'LOCALITY in prose stays prose.',
      '',
      '```js',
      'const LOCALITY = 1;',
      '```',
    ].join('\n');

    it('highlights ```sql blocks with the CockroachDB grammar', async () => {
      const lines = await tokenize(lesson, 'text.html.markdown');
      const survive = lines[5]?.find((t) => t.text === 'SURVIVE REGION FAILURE');
      assert.ok(survive, 'the SURVIVE phrase is one token');
      assert.ok(survive.scopes.includes('meta.embedded.block.cockroachdb-sql'));
      assert.equal(survive.scopes.at(-1), 'keyword.other.multiregion.survival.sql');
    });

    it('highlights ~~~ sql blocks as CockroachDB docs write them, prompt included', async () => {
      const lines = await tokenize(lesson, 'text.html.markdown');
      const line = lines[9] ?? [];
      assert.equal(line.find((t) => t.text === 'GLOBAL')?.scopes.at(-1), 'keyword.other.multiregion.locality.sql');
      assert.equal(line.find((t) => t.text === '>')?.scopes.at(-1), 'punctuation.definition.prompt.sql');
    });

    it('leaves prose and other languages alone', async () => {
      const lines = await tokenize(lesson, 'text.html.markdown');
      assert.ok(!lines[12]?.some((t) => t.scopes.some((s) => s.includes('multiregion'))), 'prose is not SQL');
      assert.ok(!lines[15]?.some((t) => t.scopes.some((s) => s.includes('cockroachdb'))), 'a js block is not SQL');
      assert.ok(!lines[7]?.some((t) => t.scopes.some((s) => s.includes('cockroachdb'))), 'the block ends at its fence');
    });
  });
});
