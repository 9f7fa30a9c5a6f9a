// sslmode as libpq means it, against real servers: a TLS PostgreSQL with its own throwaway CA
// (test/support/postgres.ts makes it with openssl), a plain one, and a second CA that signed
// nothing the server shows.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { failureOf } from '../../../runner/src/failures';
import { clientConfig } from '../../../runner/src/profile';
import { SqlSession } from '../../../runner/src/session';
import type { ConnectionFailure, ConnectionProfile } from '../../../runner/src/types';
import { profileFor, startPostgres, type PostgresServer } from '../../support/postgres';

/** Whether the session's own connection is encrypted, as the server sees it. */
async function usesTls(session: SqlSession): Promise<boolean> {
  const outcome = await session.run('SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()', { pageSize: 1 });
  return outcome.rows[0]?.[0] === 'true';
}

async function connectFailure(profile: ConnectionProfile, password: string): Promise<ConnectionFailure> {
  let session: SqlSession | undefined;
  try {
    session = await SqlSession.open(clientConfig(profile, password));
  } catch (error) {
    const failure = failureOf(error);
    if (failure) return failure;
    throw error;
  }
  await session.close();
  assert.fail(`connected with ${JSON.stringify(profile)}`);
}

describe('runner: TLS modes as libpq has them', function () {
  let tls: PostgresServer;
  let plain: PostgresServer;
  let dir: string;
  let otherCa: string;
  const profileOf = (server: PostgresServer, extra: Partial<ConnectionProfile> = {}): ConnectionProfile => profileFor(server, 'tls', extra);

  before(async () => {
    tls = await startPostgres({ tls: true });
    plain = await startPostgres();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-tls-'));
    otherCa = path.join(dir, 'other-ca.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        path.join(dir, 'other-ca.key'),
        '-out',
        otherCa,
        '-days',
        '2',
        '-subj',
        '/CN=some other CA',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  });
  after(async () => {
    await tls.stop();
    await plain.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('without sslmode uses TLS when the server offers it, and plaintext when it does not (prefer)', async () => {
    const secure = await SqlSession.open(clientConfig(profileOf(tls), tls.password));
    try {
      assert.equal(await usesTls(secure), true);
    } finally {
      await secure.close();
    }
    const clear = await SqlSession.open(clientConfig(profileOf(plain), plain.password));
    try {
      assert.equal(await usesTls(clear), false);
      assert.equal((await clear.run('SELECT 1', { pageSize: 1 })).rows[0]?.[0], '1');
    } finally {
      await clear.close();
    }
  });

  it('prefer still reports a wrong password once, over plaintext, as an authentication failure', async () => {
    const failure = await connectFailure(profileOf(plain, { sslmode: 'prefer' }), 'wrong');
    assert.equal(failure.kind, 'auth');
    assert.match(failure.message, /authentication failed/);
  });

  it('require with the right sslrootcert verifies the chain and connects', async () => {
    assert.ok(tls.caPath);
    const session = await SqlSession.open(clientConfig(profileOf(tls, { sslmode: 'require', sslrootcert: tls.caPath }), tls.password));
    try {
      assert.equal(await usesTls(session), true);
    } finally {
      await session.close();
    }
  });

  it('require with a CA that did not sign the server certificate is refused, as a TLS problem', async () => {
    const failure = await connectFailure(profileOf(tls, { sslmode: 'require', sslrootcert: otherCa }), tls.password);
    assert.equal(failure.kind, 'tls', failure.message);
    assert.match(
      failure.message,
      /^TLS handshake with 127\.0\.0\.1:\d+ failed: the server's certificate is not signed by a CA the profile trusts/,
    );
    assert.match(failure.hint ?? '', /sslrootcert/);
  });

  it('verify-ca accepts the CA whatever the host name; verify-full refuses a host the certificate does not name', async () => {
    assert.ok(tls.caPath);
    // The certificate names 127.0.0.1 and localhost; ::ffff:127.0.0.1 reaches the same server under another name.
    const elsewhere = { host: '::ffff:127.0.0.1', sslrootcert: tls.caPath };
    const session = await SqlSession.open(clientConfig(profileOf(tls, { ...elsewhere, sslmode: 'verify-ca' }), tls.password));
    await session.close();
    const failure = await connectFailure(profileOf(tls, { ...elsewhere, sslmode: 'verify-full' }), tls.password);
    assert.equal(failure.kind, 'tls', failure.message);
    assert.match(failure.message, /does not match certificate's altnames/);
  });

  it("sslrootcert=system trusts only the system's roots: a private CA's server is refused", async () => {
    const failure = await connectFailure(profileOf(tls, { sslrootcert: 'system' }), tls.password);
    assert.equal(failure.kind, 'tls', failure.message);
    assert.match(failure.message, /not signed by a CA the profile trusts/);
  });

  it('sslrootcert=system with a weaker sslmode is a profile error, as in libpq', () => {
    assert.throws(
      () => clientConfig(profileOf(tls, { sslrootcert: 'system', sslmode: 'require' }), tls.password),
      (error: unknown) =>
        failureOf(error)?.kind === 'profile' && /sslmode "require" cannot be used with sslrootcert=system/.test(String(error)),
    );
  });
});
