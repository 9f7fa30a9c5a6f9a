// A connection profile, as the user writes it, turned into node-postgres's client config. The
// defaults are CockroachDB's (root@localhost:26257/defaultdb), and sslmode means what it means to
// libpq and `cockroach sql`, within what node-postgres can do.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { ConnectionError } from './failures';
import type { ConnectionProfile } from './types';

type SslMode = NonNullable<ConnectionProfile['sslmode']>;

const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

interface Resolved {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: SslMode | undefined;
  sslrootcert: string | undefined;
  sslcert: string | undefined;
  sslkey: string | undefined;
  applicationName: string;
  options: string | undefined;
}

export const CONNECT_TIMEOUT_MS = 15_000;

export function clientConfig(profile: ConnectionProfile, password: string | undefined): pg.ClientConfig {
  const resolved = resolve(profile);
  const config: pg.ClientConfig = {
    host: resolved.host,
    port: resolved.port,
    database: resolved.database,
    user: resolved.user,
    application_name: resolved.applicationName,
    ssl: sslOptions(resolved),
    // A host that accepts the TCP connection and never answers (a firewall, the wrong service)
    // must end in a clear 'timeout' failure, not a run that waits forever.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  };
  if (password !== undefined && password !== '') config.password = password;
  // CockroachDB Serverless routes by `options=--cluster=…`; pass it through untouched.
  if (resolved.options !== undefined) config.options = resolved.options;
  return config;
}

/** `user@host:port/database`, for titles and logs: never a password. */
export function describeProfile(profile: ConnectionProfile): string {
  try {
    const r = resolve(profile);
    return `${r.user}@${formatHost(r.host)}:${r.port}/${r.database}`;
  } catch {
    return profile.name;
  }
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function resolve(profile: ConnectionProfile): Resolved {
  const fields: Resolved = {
    host: profile.host ?? 'localhost',
    port: profile.port ?? 26257,
    database: profile.database ?? 'defaultdb',
    user: profile.user ?? 'root',
    sslmode: profile.sslmode,
    sslrootcert: profile.sslrootcert,
    sslcert: profile.sslcert,
    sslkey: profile.sslkey,
    applicationName: profile.applicationName ?? 'crdb-studio',
    options: undefined,
  };
  if (profile.url === undefined || profile.url.trim() === '') return fields;
  return fromUrl(profile.url.trim(), fields);
}

/** The URL wins over the profile's fields; the fields fill in what the URL leaves out. */
function fromUrl(text: string, fields: Resolved): Resolved {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw profileError('the connection URL does not parse', 'Write it as postgresql://user@host:26257/database?sslmode=verify-full');
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw profileError(`the connection URL must start with postgresql:// (not ${url.protocol}//)`);
  }
  if (url.password !== '') {
    throw profileError(
      'the connection URL contains a password',
      "Remove it from the URL: crdb-studio asks for the password and keeps it in the editor's secret storage.",
    );
  }
  const params = url.searchParams;
  const sslmode = params.get('sslmode') ?? undefined;
  if (sslmode !== undefined && !SSL_MODES.includes(sslmode as SslMode)) {
    throw profileError(`unknown sslmode "${sslmode}" in the connection URL`, `Use one of ${SSL_MODES.join(', ')}.`);
  }
  const port = url.port === '' ? fields.port : Number(url.port);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    host: url.hostname === '' ? fields.host : url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    database: database === '' ? fields.database : database,
    user: url.username === '' ? fields.user : decodeURIComponent(url.username),
    sslmode: (sslmode as SslMode | undefined) ?? fields.sslmode,
    sslrootcert: params.get('sslrootcert') ?? fields.sslrootcert,
    sslcert: params.get('sslcert') ?? fields.sslcert,
    sslkey: params.get('sslkey') ?? fields.sslkey,
    applicationName: params.get('application_name') ?? fields.applicationName,
    options: params.get('options') ?? undefined,
  };
}

// node-postgres cannot fall back between TLS and plaintext as libpq does, so 'allow' (plaintext
// first) connects in plaintext and 'prefer' (TLS first) insists on TLS without checking it; an
// unset sslmode is plaintext, as for a local insecure cluster.
function sslOptions(r: Resolved): false | ConnectionOptions {
  const mode = r.sslmode ?? 'disable';
  if (mode === 'disable' || mode === 'allow') return false;
  const options: ConnectionOptions = {};
  if (r.sslcert !== undefined) options.cert = readPem(r.sslcert, 'sslcert');
  if (r.sslkey !== undefined) options.key = readPem(r.sslkey, 'sslkey');
  if (mode === 'prefer' || mode === 'require') {
    options.rejectUnauthorized = false;
    return options;
  }
  options.rejectUnauthorized = true;
  if (r.sslrootcert !== undefined) options.ca = readPem(r.sslrootcert, 'sslrootcert');
  // verify-ca trusts any name on a certificate the CA signed; verify-full also checks the host.
  if (mode === 'verify-ca') options.checkServerIdentity = () => undefined;
  return options;
}

function readPem(file: string, what: string): string {
  const expanded = file.startsWith('~/') ? path.join(os.homedir(), file.slice(2)) : file;
  try {
    return fs.readFileSync(expanded, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw profileError(`cannot read the ${what} file ${file}: ${reason}`, `Check the ${what} path in the connection profile.`);
  }
}

function profileError(message: string, hint?: string): ConnectionError {
  return new ConnectionError(hint === undefined ? { kind: 'profile', message } : { kind: 'profile', message, hint });
}
