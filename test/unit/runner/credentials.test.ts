// Passwords as the runner keeps them, against a real PostgreSQL and an in-memory secret store
// standing in for the editor's: keyed per profile and user@host:port/database, and stored only
// once a connection with them succeeded.
import * as assert from 'node:assert/strict';
import { connectWithPassword, passwordKey, Passwords, type SecretStore } from '../../../runner/src/credentials';
import { clientConfig } from '../../../runner/src/profile';
import { SqlSession } from '../../../runner/src/session';
import type { ConnectionFailure, ConnectionProfile } from '../../../runner/src/types';
import { failureOf } from '../../../runner/src/failures';
import { startPostgres, type PostgresServer } from '../../support/postgres';

class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.values.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.values.delete(key);
    return Promise.resolve();
  }
}

describe('runner: stored passwords', function () {
  let server: PostgresServer;
  let other: PostgresServer;
  let secrets: MemorySecrets;
  let passwords: Passwords;
  const prodOn = (target: PostgresServer): ConnectionProfile => ({
    name: 'prod',
    host: target.host,
    port: target.port,
    user: target.user,
    database: 'postgres',
    sslmode: 'disable',
  });

  /** Connects `profile`, answering each password prompt from `answers`; records what was asked and sent. */
  async function connect(profile: ConnectionProfile, answers: (string | undefined)[], askFirst = false) {
    const asked: (ConnectionFailure | undefined)[] = [];
    const sent: (string | undefined)[] = [];
    const storedWhenAsked: number[] = [];
    const session = await connectWithPassword(
      passwords,
      profile,
      {
        open: (password) => {
          sent.push(password);
          return SqlSession.open(clientConfig(profile, password));
        },
        ask: (failure) => {
          asked.push(failure);
          storedWhenAsked.push(secrets.values.size);
          return Promise.resolve(answers.shift());
        },
      },
      askFirst,
    );
    return { session, asked, sent, storedWhenAsked };
  }

  before(async () => {
    server = await startPostgres();
    other = await startPostgres();
  });
  after(async () => {
    await server.stop();
    await other.stop();
  });
  beforeEach(() => {
    secrets = new MemorySecrets();
    passwords = new Passwords(secrets);
  });

  it('keys a password by profile name and user@host:port/database', () => {
    const prod = prodOn(server);
    assert.notEqual(passwordKey(prod), passwordKey({ ...prod, host: 'elsewhere.example' }));
    assert.notEqual(passwordKey(prod), passwordKey({ ...prod, port: 26257 }));
    assert.notEqual(passwordKey(prod), passwordKey({ ...prod, user: 'someone' }));
    assert.notEqual(passwordKey(prod), passwordKey({ ...prod, database: 'other' }));
    assert.notEqual(passwordKey(prod), passwordKey({ ...prod, name: 'staging' }));
    assert.equal(passwordKey(prod), passwordKey({ ...prod, sslmode: 'require', applicationName: 'x' }));
    const url = { name: 'prod', url: `postgresql://postgres@127.0.0.1:${server.port}/postgres` };
    assert.equal(passwordKey(url), passwordKey({ ...prod, sslmode: undefined }), 'a URL and the same fields share the password');
  });

  it('asks after a wrong password with "authentication failed", and stores only the password that worked', async () => {
    const prod = prodOn(server);
    const { session, asked, sent, storedWhenAsked } = await connect(prod, ['wrong', server.password]);
    assert.ok(session);
    await session.close();
    assert.deepEqual(sent, [undefined, 'wrong', server.password]);
    assert.deepEqual(
      asked.map((f) => f?.kind),
      ['auth', 'auth'],
    );
    assert.match(asked[0]?.message ?? '', /wants a password/);
    assert.match(asked[1]?.message ?? '', /authentication failed for user postgres/);
    assert.deepEqual(storedWhenAsked, [0, 0], 'nothing is stored before a connection succeeds');
    assert.deepEqual([...secrets.values.entries()], [[passwordKey(prod), server.password]]);
    assert.equal(await passwords.stored(prod), server.password);
  });

  it('a cancel after a wrong password reports the authentication failure and keeps nothing', async () => {
    let thrown: unknown;
    try {
      await connect(prodOn(server), ['wrong', undefined]);
    } catch (error) {
      thrown = error;
    }
    assert.equal(failureOf(thrown)?.kind, 'auth');
    assert.match(failureOf(thrown)?.message ?? '', /authentication failed/);
    assert.equal(secrets.values.size, 0);
  });

  it('a cancel of the first prompt connects nowhere', async () => {
    const { session, sent } = await connect(prodOn(server), [undefined], true);
    assert.equal(session, undefined);
    assert.deepEqual(sent, []);
  });

  it('uses the stored password without asking, and does not give it to "prod" on another host', async () => {
    await connect(prodOn(server), [server.password], true).then(({ session }) => session?.close());
    const again = await connect(prodOn(server), []);
    assert.ok(again.session);
    await again.session.close();
    assert.deepEqual(again.asked, []);
    assert.deepEqual(again.sent, [server.password]);

    // A workspace's own "prod", pointing elsewhere, gets no password: the server there asks for one.
    const elsewhere = prodOn(other);
    assert.equal(await passwords.stored(elsewhere), undefined);
    const moved = await connect(elsewhere, [other.password]);
    assert.ok(moved.session);
    await moved.session.close();
    assert.deepEqual(moved.sent, [undefined, other.password]);
    assert.equal(await passwords.stored(prodOn(server)), server.password, 'the first host keeps its own password');
    assert.equal(await passwords.stored(elsewhere), other.password);
  });

  it('forgets the password, and the one kept under the name alone by earlier versions', async () => {
    const prod = prodOn(server);
    await passwords.remember(prod, 'x');
    secrets.values.set('crdbStudio.password.prod', 'old');
    await passwords.forget(prod);
    assert.equal(secrets.values.size, 0);
  });
});
