import * as assert from 'node:assert/strict';
import type * as ast from '../../../sql/src/ast';
import { parseDocument } from '../../../sql/src/parser';

function parse(sql: string): { statement: ast.Statement; errors: ast.SyntaxError[] } {
  const parsed = parseDocument(sql).statements[0];
  assert.ok(parsed, `no statement in ${sql}`);
  return { statement: parsed.statement, errors: parsed.errors };
}

function other(sql: string): ast.OtherStatement {
  const { statement, errors } = parse(sql);
  assert.deepEqual(errors, [], sql);
  assert.ok(statement.type === 'other', sql);
  return statement;
}

function show(sql: string): ast.Show {
  const statement = other(sql);
  assert.equal(statement.kind, 'show');
  assert.ok(statement.show, sql);
  return statement.show;
}

const parts = (name: ast.QualifiedName | undefined): string[] | undefined => name?.parts.map((p) => p.value);

describe('parser: SHOW statements', () => {
  it('reads SHOW RANGES with its target and options', () => {
    let s = show('SHOW RANGES FROM TABLE movr.public."Rides" WITH DETAILS, KEYS');
    assert.equal(s.subject, 'ranges');
    assert.equal(s.target?.kind, 'table');
    assert.deepEqual(parts(s.target.name), ['movr', 'public', 'Rides']);
    assert.deepEqual(s.options, ['details', 'keys']);
    assert.equal(s.trailing, undefined);
    s = show('show ranges from index users@users_pkey');
    assert.equal(s.target?.kind, 'index');
    assert.deepEqual(parts(s.target.name), ['users']);
    assert.equal(s.target.index?.value, 'users_pkey');
    s = show('SHOW RANGES');
    assert.equal(s.target, undefined);
    s = show('SHOW RANGES FROM DATABASE movr');
    assert.equal(s.target?.kind, 'database');
    assert.deepEqual(parts(s.target.name), ['movr']);
  });

  it('reads SHOW ZONE CONFIGURATION targets, partitions included', () => {
    let s = show('SHOW ZONE CONFIGURATION FOR PARTITION "us-east1" OF INDEX t@t_pkey');
    assert.equal(s.subject, 'zone configuration');
    assert.equal(s.target?.kind, 'partition');
    assert.equal(s.target.partition?.value, 'us-east1');
    assert.deepEqual(parts(s.target.name), ['t']);
    assert.equal(s.target.index?.value, 't_pkey');
    s = show('SHOW ZONE CONFIGURATION FROM RANGE default');
    assert.equal(s.target?.kind, 'range');
    assert.equal(s.target.name?.name.value, 'default');
    s = show('SHOW ALL ZONE CONFIGURATIONS');
    assert.equal(s.subject, 'zone configurations');
    assert.equal(s.all, true);
  });

  it('reads regions, survival goal, tables, indexes, columns and CREATE', () => {
    assert.equal(show('SHOW REGIONS FROM ALL DATABASES').target?.kind, 'all-databases');
    assert.equal(show('SHOW REGIONS FROM CLUSTER').target?.kind, 'cluster');
    assert.deepEqual(parts(show('SHOW REGIONS FROM DATABASE "My DB"').target?.name), ['My DB']);
    assert.equal(show('SHOW SURVIVAL GOAL FROM DATABASE').target?.name, undefined);
    assert.equal(show('SHOW survival goal from database d').subject, 'survival goal');
    const tables = show('SHOW TABLES FROM movr WITH COMMENT');
    assert.equal(tables.target?.kind, 'object');
    assert.deepEqual(tables.options, ['comment']);
    for (const sql of ['SHOW INDEXES FROM t', 'SHOW INDEX FROM t', 'SHOW KEYS FROM t']) assert.equal(show(sql).subject, 'indexes');
    assert.deepEqual(parts(show('SHOW COLUMNS FROM d.t').target?.name), ['d', 't']);
    let create = show('SHOW CREATE TABLE d.public.t');
    assert.equal(create.objectKind, 'table');
    assert.deepEqual(parts(create.target?.name), ['d', 'public', 't']);
    create = show('SHOW CREATE t');
    assert.equal(create.objectKind, 'table');
    assert.deepEqual(parts(create.target?.name), ['t']);
    assert.equal(show('SHOW CREATE VIEW v').objectKind, 'view');
  });

  it('reads settings, variables and fixed phrases', () => {
    const setting = show('SHOW CLUSTER SETTING server.time_until_store_dead');
    assert.equal(setting.subject, 'cluster setting');
    assert.equal(setting.variable, 'server.time_until_store_dead');
    assert.equal(show('SHOW ALL CLUSTER SETTINGS').subject, 'cluster settings');
    assert.equal(show('SHOW PUBLIC CLUSTER SETTINGS').subject, 'cluster settings');
    assert.equal(show('SHOW TRANSACTION ISOLATION LEVEL').subject, 'transaction isolation level');
    assert.equal(show('SHOW LAST QUERY STATISTICS').subject, 'last query statistics');
    assert.equal(show('SHOW search_path').variable, 'search_path');
    assert.equal(show('SHOW DATABASE').variable, 'database');
    assert.equal(show('SHOW JOBS WHEN COMPLETE (SELECT 1)').subject, 'jobs');
  });

  it('keeps what it does not know as trailing text, without syntax errors', () => {
    const s = show('SHOW RANGES FROM TABLE t WITH DETAILS extra words');
    assert.ok(s.trailing);
    assert.deepEqual(other('SHOW STATEMENTS FOR SESSION 1').show?.subject, 'statements');
  });
});

describe('parser: DROP, writes, GRANT ON DATABASE, EXPLAIN', () => {
  it('reads DROP targets', () => {
    const drop = other('DROP TABLE IF EXISTS a, d.public.b CASCADE').drop;
    assert.equal(drop?.object, 'table');
    assert.equal(drop.ifExists, true);
    assert.deepEqual(
      drop.names.map((n) => parts(n.name)),
      [['a'], ['d', 'public', 'b']],
    );
    assert.equal(drop.behavior, 'cascade');
    const database = other('drop database "Shop" restrict').drop;
    assert.equal(database?.object, 'database');
    assert.deepEqual(parts(database.names[0]?.name), ['Shop']);
    assert.equal(database.behavior, 'restrict');
    const index = other('DROP INDEX t@i').drop;
    assert.equal(index?.names[0]?.index?.value, 'i');
    assert.equal(other('DROP MATERIALIZED VIEW v').drop?.object, 'materialized view');
  });

  it('reads the table INSERT, UPSERT, UPDATE and DELETE write', () => {
    assert.deepEqual(parts(other('INSERT INTO d.t (a) VALUES (1)').target), ['d', 't']);
    assert.deepEqual(parts(other('UPSERT INTO "T" VALUES (1)').target), ['T']);
    assert.deepEqual(parts(other('UPDATE public.t SET a = 1').target), ['public', 't']);
    assert.deepEqual(parts(other('DELETE FROM t WHERE a = 1').target), ['t']);
    assert.equal(other('INSERT INTO').target, undefined);
  });

  it('reads GRANT and REVOKE on databases', () => {
    const sql = 'GRANT ALL ON DATABASE movr, "Shop" TO alice, bob';
    const grant = other(sql).grantOnDatabase;
    assert.deepEqual(
      grant?.databases.map((d) => d.value),
      ['movr', 'Shop'],
    );
    assert.ok(grant);
    assert.equal(sql.slice(grant.privileges.start, grant.privileges.end), 'ALL');
    assert.equal(sql.slice(grant.grantees.start, grant.grantees.end), 'alice, bob');
    const revoke = other('REVOKE CREATE ON DATABASE d FROM alice;').grantOnDatabase;
    assert.equal(revoke?.revoke, true);
    assert.equal(other('GRANT SELECT ON TABLE t TO alice').grantOnDatabase, undefined);
  });

  it('tells EXPLAIN ANALYZE from EXPLAIN', () => {
    assert.equal(other('EXPLAIN ANALYZE SELECT 1').explainAnalyze, true);
    assert.equal(other('EXPLAIN (ANALYZE, DISTSQL) SELECT 1').explainAnalyze, true);
    assert.equal(other('EXPLAIN SELECT analyze FROM t').explainAnalyze, false);
  });

  it('reads IF [NOT] EXISTS and PLACEMENT in ALTER DATABASE', () => {
    const add = parse('ALTER DATABASE d ADD REGION IF NOT EXISTS "us-east1"').statement;
    assert.ok(add.type === 'alter-database' && add.action?.kind === 'add-region' && add.action.ifNotExists);
    const drop = parse('ALTER DATABASE d DROP SECONDARY REGION IF EXISTS').statement;
    assert.ok(drop.type === 'alter-database' && drop.action?.kind === 'secondary-region' && drop.action.ifExists);
    const placement = parse('ALTER DATABASE d PLACEMENT RESTRICTED').statement;
    assert.ok(placement.type === 'alter-database' && placement.action?.kind === 'placement' && placement.action.policy === 'restricted');
  });
});

describe('parser: zone targets', () => {
  it('keeps the index of t@i in ALTER INDEX and ALTER PARTITION … OF INDEX', () => {
    const index = parseDocument('ALTER INDEX d.t@t_by_x CONFIGURE ZONE USING num_replicas = 5').statements[0]?.statement;
    assert.ok(index?.type === 'configure-zone');
    assert.deepEqual(
      index.zone.target?.name?.parts.map((p) => p.value),
      ['d', 't'],
    );
    assert.equal(index.zone.target.index?.value, 't_by_x');
    const partition = parseDocument('ALTER PARTITION p OF INDEX t@t_pkey CONFIGURE ZONE USING num_replicas = 5').statements[0]?.statement;
    assert.ok(partition?.type === 'configure-zone');
    assert.equal(partition.zone.target?.partition?.value, 'p');
    assert.equal(partition.zone.target.index?.value, 't_pkey');
  });
});
