// Connection profiles become node-postgres configs; connection errors become failures a user can
// act on. Plain values here; the real server's errors are in connect.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classifyConnectionError, failureOf } from '../../../runner/src/failures';
import { clientConfig, describeProfile } from '../../../runner/src/profile';
import type { ConnectionFailure } from '../../../runner/src/types';

function profileFailure(work: () => unknown): ConnectionFailure {
  try {
    work();
  } catch (error) {
    const failure = failureOf(error);
    if (failure) return failure;
    throw error;
  }
  assert.fail('expected a profile failure');
}

describe('runner: connection profiles', () => {
  let dir: string;
  let ca: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-profile-'));
    ca = path.join(dir, 'ca.crt');
    fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n');
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("defaults to CockroachDB's root@localhost:26257/defaultdb, with TLS when offered (libpq's prefer)", () => {
    const config = clientConfig({ name: 'local' }, undefined);
    assert.equal(config.host, 'localhost');
    assert.equal(config.port, 26257);
    assert.equal(config.user, 'root');
    assert.equal(config.database, 'defaultdb');
    assert.deepEqual(config.ssl, { rejectUnauthorized: false });
    assert.equal(config.tlsOptional, true);
    assert.equal(config.password, undefined);
    assert.equal(config.application_name, 'crdb-studio');
  });

  it('takes host, port, user, database, application name and password from the fields', () => {
    const config = clientConfig(
      { name: 'p', host: 'db.example', port: 5433, user: 'alice', database: 'bank', applicationName: 'app' },
      's3cret',
    );
    assert.deepEqual(
      [config.host, config.port, config.user, config.database, config.application_name, config.password],
      ['db.example', 5433, 'alice', 'bank', 'app', 's3cret'],
    );
  });

  it('parses a URL, which wins over the fields', () => {
    const config = clientConfig(
      {
        name: 'u',
        host: 'ignored',
        user: 'ignored',
        url: `postgresql://bob%40corp@[::1]:26258/my%20db?sslmode=verify-ca&sslrootcert=${encodeURIComponent(ca)}&application_name=x&options=--cluster%3Dblue-1`,
      },
      undefined,
    );
    assert.equal(config.host, '::1');
    assert.equal(config.port, 26258);
    assert.equal(config.user, 'bob@corp');
    assert.equal(config.database, 'my db');
    assert.equal(config.application_name, 'x');
    assert.equal(config.options, '--cluster=blue-1');
    assert.ok(typeof config.ssl === 'object');
    assert.match(String(config.ssl.ca), /BEGIN CERTIFICATE/);
  });

  it('refuses a password written in the URL, without repeating it', () => {
    const failure = profileFailure(() => clientConfig({ name: 'u', url: 'postgresql://root:hunter2@host:26257/db' }, undefined));
    assert.equal(failure.kind, 'profile');
    assert.match(failure.message, /contains a password/);
    assert.doesNotMatch(JSON.stringify(failure), /hunter2/);
  });

  it('refuses a URL of another scheme, or one that does not parse', () => {
    assert.equal(profileFailure(() => clientConfig({ name: 'u', url: 'http://host/db' }, undefined)).kind, 'profile');
    assert.equal(profileFailure(() => clientConfig({ name: 'u', url: 'not a url' }, undefined)).kind, 'profile');
    assert.match(
      profileFailure(() => clientConfig({ name: 'u', url: 'postgresql://h/db?sslmode=maybe' }, undefined)).message,
      /sslmode "maybe"/,
    );
  });

  it('maps each sslmode to node-postgres TLS options', () => {
    assert.equal(clientConfig({ name: 's', sslmode: 'disable' }, undefined).ssl, false);
    assert.deepEqual(clientConfig({ name: 's', sslmode: 'require' }, undefined).ssl, { rejectUnauthorized: false });
    const verifyCa = clientConfig({ name: 's', sslmode: 'verify-ca', sslrootcert: ca }, undefined).ssl;
    assert.ok(typeof verifyCa === 'object');
    assert.equal(verifyCa.rejectUnauthorized, true);
    assert.equal(verifyCa.checkServerIdentity?.('wrong.example', {} as never), undefined);
    const verifyFull = clientConfig({ name: 's', sslmode: 'verify-full', sslrootcert: ca }, undefined).ssl;
    assert.ok(typeof verifyFull === 'object');
    assert.equal(verifyFull.rejectUnauthorized, true);
    assert.equal(verifyFull.checkServerIdentity, undefined, 'verify-full keeps the host name check');
    assert.match(String(verifyFull.ca), /BEGIN CERTIFICATE/);
  });

  it('names a certificate file it cannot read', () => {
    const missing = path.join(dir, 'nope.crt');
    const failure = profileFailure(() => clientConfig({ name: 's', sslmode: 'verify-full', sslrootcert: missing }, undefined));
    assert.equal(failure.kind, 'profile');
    assert.ok(failure.message.includes(missing), failure.message);
    assert.match(failure.message, /sslrootcert/);
    const key = profileFailure(() => clientConfig({ name: 's', sslmode: 'require', sslcert: ca, sslkey: missing }, undefined));
    assert.match(key.message, /sslkey/);
  });

  it('describes a profile as user@host:port/database, never with a password', () => {
    assert.equal(describeProfile({ name: 'p', host: 'db', port: 26257, user: 'alice', database: 'bank' }), 'alice@db:26257/bank');
    assert.equal(describeProfile({ name: 'u', url: 'postgresql://bob@[::1]:5432/x' }), 'bob@[::1]:5432/x');
    assert.equal(describeProfile({ name: 'fallback', url: 'postgresql://bob:pw@h/x' }), 'fallback');
  });
});

describe('runner: classifying connection errors', () => {
  const target = { host: 'db.example', port: 26257, user: 'alice', database: 'bank', password: 'p4ssw0rd' };
  const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

  it('tells host, refused, timeout, auth, TLS, database and dropped apart', () => {
    const cases: [Error, ConnectionFailure['kind']][] = [
      [withCode('getaddrinfo ENOTFOUND db.example', 'ENOTFOUND'), 'host'],
      [withCode('getaddrinfo EAI_AGAIN db.example', 'EAI_AGAIN'), 'host'],
      [withCode('connect ECONNREFUSED', 'ECONNREFUSED'), 'refused'],
      [withCode('connect ETIMEDOUT', 'ETIMEDOUT'), 'timeout'],
      [new Error('timeout expired'), 'timeout'],
      [withCode('password authentication failed for user "alice"', '28P01'), 'auth'],
      [withCode('no pg_hba.conf entry', '28000'), 'auth'],
      [withCode('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls'],
      [withCode('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls'],
      [withCode("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
      [withCode('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'), 'tls'],
      [new Error('The server does not support SSL connections'), 'tls'],
      [withCode('database "bank" does not exist', '3D000'), 'database'],
      [new Error('Connection terminated unexpectedly'), 'dropped'],
      [withCode('read ECONNRESET', 'ECONNRESET'), 'dropped'],
      [withCode('terminating connection due to administrator command', '57P01'), 'dropped'],
      [new Error('something else'), 'other'],
    ];
    for (const [error, kind] of cases) assert.equal(classifyConnectionError(error, target).kind, kind, error.message);
  });

  it('says where, in words, and hints at sslmode for TLS', () => {
    assert.equal(classifyConnectionError(withCode('x', 'ENOTFOUND'), target).message, 'cannot resolve host db.example');
    assert.equal(
      classifyConnectionError(withCode('x', 'ECONNREFUSED'), target).message,
      'nothing listens on db.example:26257 — is the cluster running?',
    );
    assert.match(classifyConnectionError(withCode('x', 'SELF_SIGNED_CERT_IN_CHAIN'), target).hint ?? '', /sslmode.*sslrootcert/);
  });

  it('never repeats the password, even when an error echoes it', () => {
    const failure = classifyConnectionError(new Error('bad option p4ssw0rd'), target);
    assert.doesNotMatch(JSON.stringify(failure), /p4ssw0rd/);
  });
});
