// Users on the simulated cluster, over the wire with `pg`: who may log in (root trusted from this
// machine, others with the password they were created with) and what each may do (privileges are
// the engine's, as the user's own role; admins and root may do everything).
import * as assert from 'node:assert/strict';
import { Client, type Notification } from 'pg';
import { Simulator } from '../../../cluster/src/simulator';
import { WireServer } from '../../../cluster/src/wire/server';

const PASSWORD = 'correct-horse-battery';

describe('simulated cluster: users and privileges', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let server: WireServer;
  let root: Client;
  /** Everything written to the console and every notice a client got while the tests ran. */
  const seen: string[] = [];
  const restore: (() => void)[] = [];

  function connect(user: string, password?: string): Promise<Client> {
    const client = new Client({
      host: '127.0.0.1',
      port: server.port(1),
      user,
      database: 'defaultdb',
      ...(password !== undefined ? { password } : {}),
    });
    client.on('notice', (notice) => {
      seen.push(`${notice.message ?? ''} ${notice.detail ?? ''} ${notice.hint ?? ''}`);
    });
    client.on('notification', (message: Notification) => {
      seen.push(JSON.stringify(message));
    });
    return client.connect().then(() => client);
  }

  async function refused(user: string, password?: string): Promise<{ code?: string; message: string }> {
    const client = new Client({
      host: '127.0.0.1',
      port: server.port(1),
      user,
      database: 'defaultdb',
      ...(password !== undefined ? { password } : {}),
    });
    try {
      await client.connect();
    } catch (error) {
      return error as { code?: string; message: string };
    } finally {
      await client.end().catch(() => undefined);
    }
    throw new Error(`${user} logged in`);
  }

  async function sqlError(client: Client, sql: string): Promise<{ code?: string; message: string }> {
    try {
      await client.query(sql);
    } catch (error) {
      return error as { code?: string; message: string };
    }
    throw new Error(`${sql} succeeded`);
  }

  before(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      const spy = (chunk: string | Uint8Array, ...rest: never[]): boolean => {
        seen.push(String(chunk));
        return write(chunk, ...rest);
      };
      stream.write = spy;
      restore.push(() => (stream.write = write));
    }
    sim = await Simulator.start();
    server = await WireServer.start(sim, { port: 0 });
    root = await connect('root');
    await root.query('CREATE TABLE secrets (id INT PRIMARY KEY, v STRING)');
    await root.query(`INSERT INTO secrets VALUES (1, 'hidden')`);
    await root.query(`CREATE USER alice WITH PASSWORD '${PASSWORD}'`);
    await root.query('CREATE USER nopass');
    await root.query(`CREATE USER boss WITH PASSWORD '${PASSWORD}'`);
    await root.query('GRANT admin TO boss');
  });

  after(async () => {
    for (const undo of restore) undo();
    await root.end();
    await server.close();
    await sim.close();
  });

  it('trusts root from this machine without a password', async () => {
    const { rows } = await root.query<{ n: string }>('SELECT count(*) AS n FROM secrets');
    assert.deepEqual(rows, [{ n: '1' }]);
  });

  it('refuses a user that does not exist, and one created without a password', async () => {
    for (const user of ['mallory', 'nopass']) {
      const error = await refused(user, 'anything');
      assert.equal(error.code, '28P01');
      assert.match(error.message, new RegExp(`password authentication failed for user "?${user}"?`));
    }
  });

  it('logs a WITH PASSWORD user in with its password, refuses a wrong one, and never shows the password', async () => {
    const wrong = await refused('alice', 'not-the-password');
    assert.equal(wrong.code, '28P01');
    const alice = await connect('alice', PASSWORD);
    try {
      const { rows } = await alice.query<{ user: string }>('SELECT current_user AS user');
      assert.deepEqual(rows, [{ user: 'alice' }]);
    } finally {
      await alice.end();
    }
    const { rows } = await root.query<{ stored: string }>(`SELECT rolpassword AS stored FROM pg_authid WHERE rolname = 'alice'`);
    assert.match(rows[0]?.stored ?? '', /^SCRAM-SHA-256\$/);
    assert.ok(!(rows[0]?.stored ?? '').includes(PASSWORD));
    assert.ok(
      seen.every((text) => !text.includes(PASSWORD)),
      'the password appears in a log or notice',
    );
  });

  it("a user with no grants can neither read nor drop root's table; GRANT SELECT lets it read, REVOKE takes it back", async () => {
    const alice = await connect('alice', PASSWORD);
    try {
      const select = await sqlError(alice, 'SELECT * FROM secrets');
      assert.equal(select.code, '42501');
      assert.equal(select.message, 'user alice does not have SELECT privilege on relation secrets');
      const drop = await sqlError(alice, 'DROP TABLE secrets');
      assert.equal(drop.code, '42501');
      assert.equal(drop.message, 'user alice does not have DROP privilege on relation secrets');

      await root.query('GRANT SELECT ON TABLE secrets TO alice');
      const { rows } = await alice.query<{ v: string }>('SELECT v FROM secrets');
      assert.deepEqual(rows, [{ v: 'hidden' }]);
      assert.equal((await sqlError(alice, `INSERT INTO secrets VALUES (2, 'x')`)).code, '42501');

      await root.query('REVOKE SELECT ON TABLE secrets FROM alice');
      assert.equal((await sqlError(alice, 'SELECT * FROM secrets')).code, '42501');
      // Becoming another user is for root and admins only.
      for (const sql of ['SET ROLE postgres', 'SET SESSION AUTHORIZATION postgres'])
        assert.equal((await sqlError(alice, sql)).code, '42501', sql);
      assert.equal((await sqlError(alice, 'SELECT * FROM secrets')).code, '42501');

      // Its own table is its own; the cluster's introspection answers it; admin-only tables do not.
      await alice.query('CREATE TABLE notes (id INT PRIMARY KEY)');
      await alice.query('INSERT INTO notes VALUES (1)');
      assert.deepEqual((await alice.query('SELECT id FROM notes')).rows, [{ id: '1' }]);
      assert.ok((await alice.query('SHOW RANGES FROM TABLE notes')).rows.length > 0);
      const gossip = await sqlError(alice, 'SELECT node_id FROM crdb_internal.gossip_nodes');
      assert.equal(gossip.code, '42501');
      assert.equal(gossip.message, 'only users with the admin role are allowed to read crdb_internal.gossip_nodes');
    } finally {
      await alice.end();
    }
    // Root still reads everything after alice's session used the engine.
    assert.deepEqual((await root.query('SELECT count(*) AS n FROM notes')).rows, [{ n: '1' }]);
    // SHOW TABLES names each table's owner (its creator), whoever asks.
    const owners = await root.query<{ table_name: string; owner: string }>('SHOW TABLES');
    const ownerOf = new Map(owners.rows.map((r) => [r.table_name, r.owner]));
    assert.equal(ownerOf.get('notes'), 'alice');
    assert.equal(ownerOf.get('secrets'), 'root');
    assert.ok((await root.query('SELECT node_id FROM crdb_internal.gossip_nodes')).rows.length > 0);
  });

  it('a member of admin may do everything', async () => {
    const boss = await connect('boss', PASSWORD);
    try {
      assert.deepEqual((await boss.query('SELECT v FROM secrets')).rows, [{ v: 'hidden' }]);
      assert.ok((await boss.query('SELECT node_id FROM crdb_internal.gossip_nodes')).rows.length > 0);
      await boss.query('DROP TABLE secrets');
    } finally {
      await boss.end();
    }
    assert.equal((await sqlError(root, 'SELECT * FROM secrets')).code, '42P01');
  });
});
