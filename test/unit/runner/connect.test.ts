// Connecting, and failing to, against real servers: a TLS PostgreSQL with its own CA, a plain
// one, a port nobody listens on and a host that does not exist. Each failure must say which.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { failureOf } from '../../../runner/src/failures';
import { clientConfig } from '../../../runner/src/profile';
import { SqlSession } from '../../../runner/src/session';
import type { ConnectionFailure, ConnectionProfile } from '../../../runner/src/types';
import { profileFor, startPostgres, type PostgresServer } from '../../support/postgres';

async function connectFailure(profile: ConnectionProfile, password: string | undefined): Promise<ConnectionFailure> {
  try {
    const session = await SqlSession.open(clientConfig(profile, password));
    await session.close();
  } catch (error) {
    const failure = failureOf(error);
    if (failure) return failure;
    throw error;
  }
  assert.fail(`connected with ${JSON.stringify(profile)}`);
}

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        resolve(address && typeof address === 'object' ? address.port : 0);
      });
    });
  });
}

describe('runner: connecting to real servers', function () {
  let tls: PostgresServer;
  let plain: PostgresServer;
  const profileOf = (server: PostgresServer, extra: Partial<ConnectionProfile> = {}): ConnectionProfile =>
    profileFor(server, 'test', extra);

  before(async () => {
    tls = await startPostgres({ tls: true });
    plain = await startPostgres();
  });
  after(async () => {
    await tls.stop();
    await plain.stop();
  });

  it('connects with verify-full and the right CA, over TLS', async () => {
    assert.ok(tls.caPath);
    const session = await SqlSession.open(clientConfig(profileOf(tls, { sslmode: 'verify-full', sslrootcert: tls.caPath }), tls.password));
    try {
      const outcome = await session.run('SELECT ssl::text, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()', { pageSize: 1 });
      assert.equal(outcome.rows[0]?.[0], 'true');
      assert.match(outcome.rows[0][1] ?? '', /^TLSv1\.[23]$/);
    } finally {
      await session.close();
    }
  });

  it('connects with verify-ca and with require', async () => {
    for (const extra of [{ sslmode: 'verify-ca', sslrootcert: tls.caPath }, { sslmode: 'require' }] as const) {
      const session = await SqlSession.open(clientConfig(profileOf(tls, extra), tls.password));
      const outcome = await session.run('SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()', { pageSize: 1 });
      assert.equal(outcome.rows[0]?.[0], 'true', extra.sslmode);
      await session.close();
    }
  });

  it('fails verify-full without the CA, as a TLS problem with a hint', async () => {
    const failure = await connectFailure(profileOf(tls, { sslmode: 'verify-full' }), tls.password);
    assert.equal(failure.kind, 'tls', failure.message);
    assert.match(failure.message, /certificate/);
    assert.match(failure.hint ?? '', /sslrootcert/);
  });

  it('fails TLS against a server without it', async () => {
    const failure = await connectFailure(profileOf(plain, { sslmode: 'require' }), plain.password);
    assert.equal(failure.kind, 'tls');
    assert.match(failure.message, /does not support SSL/);
  });

  it('fails a wrong password, or none, as an authentication problem that never shows the password', async () => {
    const failure = await connectFailure(profileOf(plain), 'not-the-password');
    assert.equal(failure.kind, 'auth');
    assert.match(failure.message, /password authentication failed for user "postgres"/);
    assert.doesNotMatch(JSON.stringify(failure), /not-the-password/);
    assert.equal((await connectFailure(profileOf(plain), undefined)).kind, 'auth');
  });

  it('fails a database that does not exist', async () => {
    const failure = await connectFailure(profileOf(plain, { database: 'no_such_db' }), plain.password);
    assert.equal(failure.kind, 'database');
    assert.match(failure.message, /no_such_db/);
  });

  it('fails a port nobody listens on as refused', async () => {
    const port = await unusedPort();
    const failure = await connectFailure({ name: 'p', host: '127.0.0.1', port }, undefined);
    assert.equal(failure.kind, 'refused');
    assert.equal(failure.message, `nothing listens on 127.0.0.1:${port} — is the cluster running?`);
  });

  it('gives up on a server that accepts the connection and never answers, as a timeout', async () => {
    // A TCP listener that reads and never replies (the wrong service, a black-holing proxy).
    const silent = net.createServer((socket) => {
      socket.on('data', () => undefined);
    });
    await new Promise<void>((resolve) => {
      silent.listen(0, '127.0.0.1', () => {
        resolve();
      });
    });
    const address = silent.address();
    const port = address && typeof address === 'object' ? address.port : 0;
    try {
      const config = { ...clientConfig({ name: 's', host: '127.0.0.1', port }, undefined), connectionTimeoutMillis: 300 };
      let failure: ConnectionFailure | undefined;
      try {
        await SqlSession.open(config);
      } catch (error) {
        failure = failureOf(error);
      }
      assert.equal(failure?.kind, 'timeout');
      assert.ok(clientConfig({ name: 'd' }, undefined).connectionTimeoutMillis, 'profiles connect with a timeout');
    } finally {
      silent.close();
    }
  });

  it('fails a host that does not resolve', async () => {
    const failure = await connectFailure({ name: 'h', host: 'no-such-host.invalid', port: 26257 }, undefined);
    assert.equal(failure.kind, 'host');
    assert.equal(failure.message, 'cannot resolve host no-such-host.invalid');
  });

  it('connects with the password to the plain server', async () => {
    const session = await SqlSession.open(clientConfig(profileOf(plain), plain.password));
    assert.equal((await session.run('SELECT current_user', { pageSize: 1 })).rows[0]?.[0], 'postgres');
    await session.close();
    assert.equal(session.alive, false);
  });
});
