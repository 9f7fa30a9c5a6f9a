// The cockroach sql shell's client-side commands, typed as statements to the simulated cluster:
// listings answer from the cluster's catalog in the columns the shell prints, \q/quit/exit end the
// shell with a QUIT result, \c switches database, \set keeps options, and what the simulator cannot
// do, or the real shell does not know, is refused with a clear message.
import * as assert from 'node:assert/strict';
import { likeMatches, QUIT_TAG } from '../../../cluster/src/sql/shellCommands';
import { Simulator } from '../../../cluster/src/simulator';
import type { QueryResult } from '../../../cluster/src/sql/result';
import type { Session } from '../../../cluster/src/sql/session';

async function one(session: Session, text: string): Promise<QueryResult> {
  const results = await session.execute(text);
  const last = results[results.length - 1];
  assert.ok(last, `no result for ${text}`);
  return last;
}

function printed(result: QueryResult): string {
  assert.equal(result.error, undefined, result.error?.message);
  return result.notices.map((n) => n.message).join('\n');
}

function columns(result: QueryResult): string[] {
  return result.fields.map((f) => f.name);
}

describe('simulated cluster: cockroach sql shell commands', function () {
  let simulator: Simulator;
  let session: Session;
  before(async () => {
    simulator = await Simulator.start({ nodes: 3 });
    session = simulator.openSession();
    for (const sql of [
      'CREATE DATABASE shop',
      'USE shop',
      'CREATE TABLE orders (id INT8 PRIMARY KEY, total DECIMAL NOT NULL)',
      'CREATE TABLE customers (id INT8 PRIMARY KEY, name STRING)',
      'CREATE VIEW big_orders AS SELECT id FROM orders WHERE total > 100',
    ]) {
      const result = await one(session, sql);
      assert.equal(result.error, undefined, `${sql}: ${result.error?.message}`);
    }
  });
  after(async () => {
    await simulator.close();
  });

  it('\\dt lists the tables of the current database as Schema, Name, Type, Owner; \\d adds the views', async () => {
    const tables = await one(session, '\\dt');
    assert.equal(tables.error, undefined, tables.error?.message);
    assert.deepEqual(columns(tables), ['Schema', 'Name', 'Type', 'Owner']);
    assert.deepEqual(
      tables.notices.map((n) => n.message),
      ['List of relations:'],
    );
    assert.deepEqual(
      tables.rows.map((r) => r.slice(0, 3)),
      [
        ['public', 'customers', 'table'],
        ['public', 'orders', 'table'],
      ],
    );
    const all = await one(session, '\\d');
    assert.deepEqual(
      all.rows.map((r) => r[1]),
      ['big_orders', 'customers', 'orders'],
    );
    const views = await one(session, '\\dv');
    assert.deepEqual(
      views.rows.map((r) => [r[1], r[2]]),
      [['big_orders', 'view']],
    );
    const pattern = await one(session, '\\dt cust%');
    assert.deepEqual(
      pattern.rows.map((r) => r[1]),
      ['customers'],
    );
  });

  it('\\dn lists the user schemas (Name, Owner); a pattern reaches the system ones too', async () => {
    const schemas = await one(session, '\\dn');
    assert.deepEqual(columns(schemas), ['Name', 'Owner']);
    assert.deepEqual(
      schemas.notices.map((n) => n.message),
      ['List of schemas:'],
    );
    assert.deepEqual(
      schemas.rows.map((r) => r[0]),
      ['public'],
    );
    const shown = await one(session, 'SHOW SCHEMAS');
    const expected = shown.rows
      .map((r) => r[0] ?? '')
      .filter((n) => n.startsWith('p'))
      .sort();
    assert.ok(expected.includes('pg_catalog') && expected.includes('public'), expected.join());
    const p = await one(session, '\\dn p%');
    assert.deepEqual(
      p.rows.map((r) => r[0]),
      expected,
    );
  });

  it('\\d TABLE, \\l and \\du run the SHOW statements the shell sends', async () => {
    const described = await one(session, '\\d orders');
    assert.equal(described.error, undefined, described.error?.message);
    assert.equal(columns(described)[0], 'column_name');
    assert.deepEqual(
      described.rows.map((r) => r[0]),
      ['id', 'total'],
    );
    const databases = await one(session, '\\l');
    assert.equal(columns(databases)[0], 'database_name');
    assert.ok(databases.rows.some((r) => r[0] === 'shop'));
    const users = await one(session, '\\du');
    assert.equal(columns(users)[0], 'username');
    assert.ok(users.rows.some((r) => r[0] === 'root'));
    const root = await one(session, '\\du root');
    assert.deepEqual(
      root.rows.map((r) => r[0]),
      ['root'],
    );
    assert.equal((await one(session, '\\du nobody')).rows.length, 0);
    const missing = await one(session, '\\d nowhere');
    assert.match(missing.error?.message ?? '', /nowhere/);
  });

  it('\\q, \\quit, quit and exit end the shell with a QUIT result; exit; is SQL and fails as SQL', async () => {
    for (const text of ['\\q', '\\quit', 'quit', 'exit', '\\q;']) {
      const result = await one(session, text);
      assert.equal(result.error, undefined, `${text}: ${result.error?.message}`);
      assert.equal(result.tag, QUIT_TAG, text);
    }
    const sql = await one(session, 'exit;');
    assert.notEqual(sql.tag, QUIT_TAG);
    assert.ok(sql.error);
    // The session still answers: QUIT is for the shell that drives it to act on.
    assert.deepEqual((await one(session, 'SELECT 1')).rows, [['1']]);
  });

  it('\\c DB switches database and says which URL it uses; \\c alone shows the connection', async () => {
    const switched = printed(await one(session, '\\c defaultdb'));
    assert.match(switched, /^using new connection URL: postgresql:\/\/root@127\.0\.0\.1:\d+\/defaultdb\?sslmode=disable$/);
    assert.deepEqual((await one(session, 'SHOW DATABASE')).rows, [['defaultdb']]);
    const shown = printed(await one(session, '\\c'));
    assert.ok(shown.endsWith('You are connected to database "defaultdb" as user "root".'), shown);
    assert.match((await one(session, '\\c nosuchdb')).error?.message ?? '', /nosuchdb/);
    assert.match((await one(session, '\\c shop bob')).error?.message ?? '', /not supported by the simulated cluster/);
    await one(session, 'USE shop');
  });

  it('\\set, \\unset and \\x keep the options for the session and refuse unknown ones', async () => {
    assert.equal((await one(session, '\\set display_format=csv')).error, undefined);
    assert.equal((await one(session, '\\set prompt1 %n@%m/%/')).error, undefined);
    assert.equal((await one(session, '\\set errexit')).error, undefined);
    assert.deepEqual((await one(session, '\\set')).rows, [
      ['display_format', 'csv'],
      ['errexit', 'true'],
      ['prompt1', '%n@%m/%/'],
    ]);
    assert.equal((await one(session, '\\x')).error, undefined);
    assert.ok((await one(session, '\\set')).rows.some((r) => r[0] === 'display_format' && r[1] === 'records'));
    assert.equal((await one(session, '\\unset errexit')).error, undefined);
    assert.ok(!(await one(session, '\\set')).rows.some((r) => r[0] === 'errexit'));
    assert.equal((await one(session, '\\set colour blue')).error?.message, 'invalid syntax: \\set colour blue. Try \\? for help.');
    assert.equal((await one(session, '\\set errexit maybe')).error?.message, 'invalid syntax: \\set errexit maybe. Try \\? for help.');
    assert.match((await one(session, '\\set display_format=fancy')).error?.message ?? '', /invalid display format: fancy/);
  });

  it('\\h and \\hf print a synopsis, or say there is no help', async () => {
    const update = printed(await one(session, '\\h UPDATE'));
    assert.equal(update.split('\n')[0], 'Command:     UPDATE');
    assert.ok(update.includes('docs/stable/update'));
    assert.equal(printed(await one(session, '\\h create table')).split('\n')[0], 'Command:     CREATE TABLE');
    const nothing = await one(session, '\\h FROBNICATE');
    assert.ok(nothing.error);
    assert.equal(nothing.error.message, 'no help available for "FROBNICATE"');
    assert.equal(nothing.error.hint, 'Try \\h with no argument to see available help.');
    assert.equal(printed(await one(session, '\\hf uuid_v4')).split('\n')[0], 'Function:    uuid_v4');
    assert.equal((await one(session, '\\hf no_such_fn')).error?.message, 'no help available for "no_such_fn"');
  });

  it('help, \\? and \\echo print; unknown and unsimulated commands are refused clearly', async () => {
    assert.ok(printed(await one(session, 'help')).includes('\\q, quit, exit'));
    assert.ok(printed(await one(session, '\\?')).includes('\\demo'));
    assert.equal(printed(await one(session, '\\echo hello there')), 'hello there');
    assert.equal((await one(session, '\\timing')).error?.message, 'invalid syntax: \\timing. Try \\? for help.');
    assert.equal((await one(session, '\\i setup.sql')).error?.message, '\\i is not supported by the simulated cluster');
    assert.equal((await one(session, '\\dT')).error?.message, '\\dT is not supported by the simulated cluster');
    assert.equal((await one(session, '\\dt a b')).error?.message, 'unsupported command: \\dt with 2 arguments');
  });

  it('LIKE patterns: % any run, _ one character, \\ escapes', () => {
    assert.ok(likeMatches('pricing', 'p%'));
    assert.ok(likeMatches('pricing', 'pr_cing'));
    assert.ok(!likeMatches('pricing', 'pr_ing'));
    assert.ok(likeMatches('a%b', 'a\\%b'));
    assert.ok(!likeMatches('axb', 'a\\%b'));
    assert.ok(likeMatches('', '%'));
  });
});
