// The "Add Connection…" form driven through a scripted UI (the same steps VS Code's quick inputs
// show), and Test Connection against a real PostgreSQL (over verify-full TLS, a wrong password,
// a closed port) and the simulated cluster (a real CockroachDB-speaking server).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ClusterProcess } from '../../../cluster/src/api/client';
import { CRDB_VERSION } from '../../../cluster/src/engine/bootstrap';
import {
  BACK,
  runConnectionForm,
  type Answer,
  type ConnectionFormContext,
  type ConnectionFormUi,
  type InputStep,
  type PickStep,
} from '../../../client/src/connections/form';
import { cockroachVersionOf, testConnection, type ConnectionTest } from '../../../client/src/connections/testConnection';
import { freePort } from '../../support/codeServer';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { repoRoot } from '../../support/tools';

type Reply = string | typeof BACK | undefined;

interface Seen {
  kind: 'input' | 'pick';
  step: number;
  totalSteps: number;
  /** The prompt of an input, the placeholder of a pick. */
  text: string;
  value?: string;
  labels?: string[];
}

/**
 * Answers the form's steps from a script, in order. Like the quick input, an input answer that
 * does not validate is refused (its message recorded) and the same step takes the next answer.
 */
function scriptedUi(replies: Reply[]): ConnectionFormUi & { seen: Seen[]; refused: string[]; tests: ConnectionTest[] } {
  const queue = [...replies];
  const seen: Seen[] = [];
  const refused: string[] = [];
  const tests: ConnectionTest[] = [];
  const next = (): Reply => {
    assert.ok(queue.length > 0, `the script ran out of answers after ${JSON.stringify(seen.at(-1))}`);
    return queue.shift();
  };
  return {
    seen,
    refused,
    tests,
    input(step: InputStep): Promise<Answer<string>> {
      seen.push({ kind: 'input', step: step.step, totalSteps: step.totalSteps, text: step.prompt, value: step.value });
      for (;;) {
        const reply = next();
        if (typeof reply !== 'string') return Promise.resolve(reply);
        const problem = step.validate(reply);
        if (problem === undefined) return Promise.resolve(reply);
        refused.push(problem);
      }
    },
    pick<T>(step: PickStep<T>): Promise<Answer<T>> {
      const labels = step.items.map((item) => item.label);
      seen.push({ kind: 'pick', step: step.step, totalSteps: step.totalSteps, text: step.placeholder, labels });
      const reply = next();
      if (typeof reply !== 'string') return Promise.resolve(reply);
      const item = step.items.find((i) => i.label === reply);
      assert.ok(item, `"${reply}" is one of ${labels.join(', ')}`);
      return Promise.resolve(item.value);
    },
    async busy<T>(_message: string, task: () => Promise<T>): Promise<T> {
      const result = await task();
      tests.push(result as ConnectionTest);
      return result;
    },
  };
}

function context(overrides: Partial<ConnectionFormContext> = {}): ConnectionFormContext {
  return {
    existingNames: ['prod'],
    workspaceScope: true,
    homeDir: '/home/ada',
    fileExists: () => false,
    test: testConnection,
    ...overrides,
  };
}

describe('Add Connection form', function () {
  let postgres: PostgresServer;

  before(async () => {
    postgres = await startPostgres({ tls: true });
  });

  after(async () => {
    await postgres.stop();
  });

  it('builds a verify-full profile from a certificates directory, tests it on PostgreSQL and keeps the password out of it', async () => {
    assert.ok(postgres.caPath);
    const certsDir = path.dirname(postgres.caPath);
    const ui = scriptedUi([
      'local-pg',
      '127.0.0.1',
      String(postgres.port),
      'postgres',
      'postgres',
      'verify-full',
      certsDir,
      postgres.password,
      'Save to User Settings',
    ]);
    const result = await runConnectionForm(ui, context({ fileExists: (file) => file === postgres.caPath }));
    assert.ok(result);
    assert.deepEqual(result.profile, {
      name: 'local-pg',
      host: '127.0.0.1',
      port: postgres.port,
      database: 'postgres',
      user: 'postgres',
      sslmode: 'verify-full',
      sslrootcert: `${certsDir}/ca.crt`,
    });
    assert.equal(result.password, postgres.password);
    assert.equal(result.scope, 'user');
    assert.ok(!JSON.stringify(result.profile).includes(postgres.password), 'the profile carries no password');
    // The test really connected over TLS with the CA and asked the server its version.
    const test = result.test;
    assert.ok(test?.ok);
    assert.equal(test.cockroachVersion, undefined);
    assert.match(test.version, /^PostgreSQL \d+/);
    assert.match(test.message, /^Connected to postgres@127\.0\.0\.1:\d+\/postgres, but it is not CockroachDB \(PostgreSQL \d+/);
    // Every step in order, numbered out of nine (the certificates directory counts with verify-full).
    assert.deepEqual(
      ui.seen.map((s) => [s.kind, s.step, s.totalSteps]),
      [
        ['input', 1, 9],
        ['input', 2, 9],
        ['input', 3, 9],
        ['input', 4, 9],
        ['input', 5, 9],
        ['pick', 6, 9],
        ['input', 7, 9],
        ['input', 8, 9],
        ['pick', 9, 9],
      ],
    );
    assert.deepEqual(ui.seen[8]?.labels, ['Save to User Settings', 'Save to Workspace Settings', 'Test Again']);
  });

  it('offers CockroachDB defaults, refuses bad answers, goes Back keeping answers, and skips the certificates with sslmode disable', async () => {
    const ui = scriptedUi([
      '', // no name
      'prod', // taken
      'staging',
      BACK, // from host back to the name
      'staging',
      'db.internal',
      '70000', // not a port
      '26257',
      'defaultdb',
      'maxroach',
      'disable',
      BACK, // from the password back to the TLS mode: the certificates step is skipped
      'disable',
      '',
      'Save to User Settings',
    ]);
    const tests: ConnectionTest[] = [];
    const result = await runConnectionForm(
      ui,
      context({
        test: (profile) => {
          const test: ConnectionTest = {
            ok: false,
            failure: { kind: 'host', message: `no such host ${profile.host ?? ''}` },
            message: 'no such host',
          };
          tests.push(test);
          return Promise.resolve(test);
        },
      }),
    );
    assert.deepEqual(ui.refused, [
      'Enter a name.',
      'A connection named "prod" exists already.',
      'The port is a whole number from 1 to 65535.',
    ]);
    assert.deepEqual(
      ui.seen.slice(0, 3).map((s) => s.value),
      ['', 'localhost', 'staging'],
      'the host starts at localhost; Back shows the name as typed',
    );
    assert.deepEqual(result?.profile, {
      name: 'staging',
      host: 'db.internal',
      port: 26257,
      database: 'defaultdb',
      user: 'maxroach',
      sslmode: 'disable',
    });
    assert.equal(result.password, undefined, 'an empty password is none');
    assert.equal(result.test?.ok, false, 'a failed test may still be saved');
    assert.equal(tests.length, 1);
    const last = ui.seen.at(-1);
    assert.ok(last);
    assert.equal(last.totalSteps, 8, 'without a verifying TLS mode there is no certificates step');
    assert.equal(last.text, 'no such host');
  });

  it('uses the client certificate cockroach cert wrote for the user, and cancels on Escape at any step', async () => {
    const files = new Set([
      '/home/ada/.cockroach-certs/ca.crt',
      '/home/ada/.cockroach-certs/client.maxroach.crt',
      '/home/ada/.cockroach-certs/client.maxroach.key',
    ]);
    const ui = scriptedUi([
      'secure',
      'localhost',
      '26257',
      'bank',
      'maxroach',
      'verify-full',
      '~/.cockroach-certs',
      '',
      'Save to Workspace Settings',
    ]);
    const ok: ConnectionTest = { ok: true, cockroachVersion: 'v25.2.0', version: 'CockroachDB CCL v25.2.0', message: 'ok' };
    const result = await runConnectionForm(ui, context({ fileExists: (file) => files.has(file), test: () => Promise.resolve(ok) }));
    assert.deepEqual(result?.profile, {
      name: 'secure',
      host: 'localhost',
      port: 26257,
      database: 'bank',
      user: 'maxroach',
      sslmode: 'verify-full',
      sslrootcert: '~/.cockroach-certs/ca.crt',
      sslcert: '~/.cockroach-certs/client.maxroach.crt',
      sslkey: '~/.cockroach-certs/client.maxroach.key',
    });
    assert.equal(result.scope, 'workspace');
    for (let at = 0; at < 9; at++) {
      const answers: Reply[] = ['secure', 'localhost', '26257', 'bank', 'maxroach', 'verify-full', '~/.cockroach-certs', ''];
      answers[at] = undefined;
      const cancelled = await runConnectionForm(
        scriptedUi(answers.slice(0, at + 1)),
        context({ fileExists: (file) => files.has(file), test: () => Promise.resolve(ok) }),
      );
      assert.equal(cancelled, undefined, `Escape at step ${at + 1} cancels`);
    }
  });

  it('refuses a certificates directory without ca.crt, and offers no workspace scope when it cannot be written', async () => {
    const ui = scriptedUi(['c', 'h', '26257', 'd', 'u', 'verify-ca', '/nowhere', '/certs', '', 'Save to User Settings']);
    const ok: ConnectionTest = { ok: true, cockroachVersion: 'v25.2.0', version: 'CockroachDB CCL v25.2.0', message: 'ok' };
    const result = await runConnectionForm(
      ui,
      context({ workspaceScope: false, fileExists: (f) => f === '/certs/ca.crt', test: () => Promise.resolve(ok) }),
    );
    assert.deepEqual(ui.refused, ['There is no ca.crt in /nowhere.']);
    assert.equal(result?.profile.sslrootcert, '/certs/ca.crt');
    assert.deepEqual(ui.seen.at(-1)?.labels, ['Save to User Settings', 'Test Again']);
  });
});

describe('Test Connection', function () {
  let postgres: PostgresServer;

  before(async () => {
    postgres = await startPostgres();
  });

  after(async () => {
    await postgres.stop();
  });

  it('reads the CockroachDB version from version(), and nothing from other servers', () => {
    assert.equal(
      cockroachVersionOf('CockroachDB CCL v25.2.1 (x86_64-pc-linux-gnu, built 2025/06/10 18:36:56, go1.23.7 X:nocoverageredesign)'),
      'v25.2.1',
    );
    assert.equal(cockroachVersionOf('CockroachDB OSS v20.2.19 (x86_64-unknown-linux-gnu, built 2022/02/09)'), 'v20.2.19');
    assert.equal(cockroachVersionOf('PostgreSQL 16.4 (Debian 16.4-1) on x86_64-pc-linux-gnu'), undefined);
    assert.equal(cockroachVersionOf(''), undefined);
  });

  it('says a wrong password is one, and a closed port is refused', async () => {
    const profile = {
      name: 'pg',
      host: postgres.host,
      port: postgres.port,
      user: postgres.user,
      database: 'postgres',
      sslmode: 'disable' as const,
    };
    const wrong = await testConnection(profile, 'not-the-password');
    if (wrong.ok) assert.fail('a wrong password fails the test');
    assert.equal(wrong.failure.kind, 'auth');
    const right = await testConnection(profile, postgres.password);
    assert.equal(right.ok && right.cockroachVersion, undefined);
    const closed = await testConnection({ ...profile, port: await freePort() }, undefined);
    assert.equal(!closed.ok && closed.failure.kind, 'refused');
  });

  it('names the CockroachDB version the simulated cluster answers with', async () => {
    const cluster = await ClusterProcess.start(path.join(repoRoot, 'dist/cluster/cluster.js'), { nodes: 1, global: false, port: 0 });
    try {
      const url = new URL(cluster.ready.url);
      const test = await testConnection(
        { name: 'simulated', host: url.hostname, port: Number(url.port), user: 'root', sslmode: 'disable' },
        undefined,
      );
      assert.ok(test.ok);
      assert.equal(test.cockroachVersion, CRDB_VERSION);
      assert.equal(test.message, `Connected to root@127.0.0.1:${url.port}/defaultdb: CockroachDB ${CRDB_VERSION}.`);
    } finally {
      await cluster.stop();
    }
  });
});
