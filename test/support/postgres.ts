// A throwaway PostgreSQL server for the runner's tests: the same wire protocol as CockroachDB,
// with a real password, real TLS and real cancel and terminate. Listens on 127.0.0.1 only, on a
// free port, with its socket in its own temp dir; removed when stopped, or when the process exits.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { ConnectionProfile } from '../../runner/src/types';
import { PATIENCE_MS, until } from './patience';

export interface PostgresServer {
  host: '127.0.0.1';
  port: number;
  user: 'postgres';
  /** The password of user postgres; host connections must give it (scram-sha-256). */
  password: string;
  /** With `tls`: the CA certificate that signed the server's (for 127.0.0.1 and localhost). */
  caPath: string | undefined;
  /** Terminates one backend, as an administrator would (pg_terminate_backend). */
  kill(pid: number): Promise<boolean>;
  /** Resolves once backend `pid` is running a statement containing `fragment`. */
  waitUntilActive(pid: number, fragment: string): Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<() => void>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const stopAll = (): void => {
    for (const stop of [...running]) stop();
  };
  // A crashed or interrupted test run must not leave a server behind.
  process.on('exit', stopAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error(`no PostgreSQL server binaries under ${root}: run \`bash scripts/tools.sh postgres\` to install them`);
  }
  return path.join(root, newest, 'bin');
}

const isRoot = process.getuid?.() === 0;

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs a server binary as the postgres user when we are root (the server refuses to run as root). */
function asServerUser(file: string, args: string[]): string {
  if (!isRoot) return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const command = [file, ...args].map(shellQuote).join(' ');
  return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const ca = path.join(dir, 'ca.crt');
  const caKey = path.join(dir, 'ca.key');
  const key = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const cert = path.join(dir, 'server.crt');
  const ext = path.join(dir, 'server.ext');
  const openssl = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    caKey,
    '-out',
    ca,
    '-days',
    '2',
    '-subj',
    '/CN=crdb-studio test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl(['req', ...ec, '-keyout', key, '-out', csr, '-subj', '/CN=localhost']);
  fs.writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
  fs.chmodSync(key, 0o600);
  return { ca, cert, key };
}

export async function startPostgres(options: { tls?: boolean } = {}): Promise<PostgresServer> {
  const bin = binDir();
  installExitHook();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-pg-'));
  const data = path.join(dir, 'data');
  const socketDir = path.join(dir, 'sock');
  fs.mkdirSync(socketDir);
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const pwfile = path.join(dir, 'pwfile');
  fs.writeFileSync(pwfile, `${password}\n`);
  const tls = options.tls === true ? makeCertificates(dir) : undefined;
  if (isRoot) execFileSync('chown', ['-R', 'postgres:', dir]);

  let started = false;
  let port = 0;
  const stopNow = (): void => {
    running.delete(stopNow);
    if (started) {
      try {
        asServerUser(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already gone: nothing to stop.
      }
      started = false;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  running.add(stopNow);

  try {
    asServerUser(path.join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
    const settings = ['-c listen_addresses=127.0.0.1', `-k ${socketDir}`, '-c fsync=off', '-c max_connections=30'];
    if (tls) settings.push('-c ssl=on', `-c ssl_cert_file=${tls.cert}`, `-c ssl_key_file=${tls.key}`);
    // Another process may take the free port before the server binds it: try a few.
    for (let attempt = 0; !started; attempt++) {
      port = await freePort();
      try {
        asServerUser(path.join(bin, 'pg_ctl'), [
          '-D',
          data,
          '-l',
          path.join(dir, 'log'),
          '-w',
          '-t',
          String(PATIENCE_MS / 1000),
          '-o',
          [`-p ${port}`, ...settings].join(' '),
          'start',
        ]);
        started = true;
      } catch (error) {
        if (attempt >= 2) {
          const log = fs.existsSync(path.join(dir, 'log')) ? fs.readFileSync(path.join(dir, 'log'), 'utf8') : '';
          throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`, { cause: error });
        }
      }
    }
  } catch (error) {
    stopNow();
    throw error;
  }

  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    // Over the socket, where the postgres user is trusted: no password or TLS in the way.
    const client = new Client({ host: socketDir, port, user: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    caPath: tls?.ca,
    kill(pid: number): Promise<boolean> {
      return admin(async (client) => {
        const result = await client.query<{ killed: boolean }>('SELECT pg_terminate_backend($1) AS killed', [pid]);
        return result.rows[0]?.killed === true;
      });
    },
    waitUntilActive(pid: number, fragment: string): Promise<void> {
      return admin(async (client) => {
        await until(async () => {
          const found = await client.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND strpos(query, $2) > 0", [
            pid,
            fragment,
          ]);
          return (found.rowCount ?? 0) > 0;
        }, `backend ${pid} to run ${fragment}`);
      });
    },
    stop(): Promise<void> {
      stopNow();
      return Promise.resolve();
    },
  };
}

/** A connection profile for one of these servers, as a user would write it. */
export function profileFor(server: PostgresServer, name: string, extra: Partial<ConnectionProfile> = {}): ConnectionProfile {
  return { name, host: server.host, port: server.port, user: server.user, database: 'postgres', ...extra };
}
