// A connection profile, as the user writes it, turned into node-postgres's client config. The
// defaults are CockroachDB's (root@localhost:26257/defaultdb), and sslmode means what it means to
// libpq and `cockroach sql`: unset is `prefer` (TLS when the server offers it, else plaintext),
// `require` with an sslrootcert verifies the chain as `verify-ca` does, and sslrootcert=system
// trusts the system's roots and insists on `verify-full`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as pg from 'pg';
import * as tls from 'node:tls';
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

/** node-postgres's config; `tlsOptional` (sslmode prefer) lets SqlSession.open retry in plaintext when the server refuses TLS. */
export interface ProfileConfig extends pg.ClientConfig {
  tlsOptional?: true;
}

export function clientConfig(profile: ConnectionProfile, password: string | undefined): ProfileConfig {
  const resolved = resolve(profile);
  const config: ProfileConfig = {
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
  // node-postgres has no "TLS, else plaintext" of its own: SqlSession.open does the fallback.
  if (sslMode(resolved) === 'prefer') config.tlsOptional = true;
  if (password !== undefined && password !== '') config.password = password;
  // CockroachDB Serverless routes by `options=--cluster=…`; pass it through untouched.
  if (resolved.options !== undefined) config.options = resolved.options;
  return config;
}

/** `user@host:port/database`, for titles and logs: never a password. */
export function describeProfile(profile: ConnectionProfile): string {
  return endpointOf(profile) ?? profile.name;
}

/** `user@host:port/database` as the profile resolves, or undefined when its URL does not parse. */
export function endpointOf(profile: ConnectionProfile): string | undefined {
  try {
    const r = resolve(profile);
    return `${r.user}@${formatHost(r.host)}:${r.port}/${r.database}`;
  } catch {
    return undefined;
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

/** libpq's defaults: `prefer`, or `verify-full` with the system's roots. */
function sslMode(r: Resolved): SslMode {
  return r.sslmode ?? (r.sslrootcert === SYSTEM_ROOTS ? 'verify-full' : 'prefer');
}

const SYSTEM_ROOTS = 'system';

// 'allow' (plaintext first, TLS only if the server insists) connects in plaintext: node-postgres
// cannot tell that a server insists. 'prefer' and 'require' without a root certificate encrypt
// without checking who answers, as libpq does.
function sslOptions(r: Resolved): false | tls.ConnectionOptions {
  const mode = sslMode(r);
  if (r.sslrootcert === SYSTEM_ROOTS && mode !== 'verify-full') {
    // Anyone can get a publicly trusted certificate for a host they control: only the host check protects.
    throw profileError(
      `sslmode "${mode}" cannot be used with sslrootcert=system`,
      "Use sslmode verify-full (the default with sslrootcert=system), or give sslrootcert the path of the cluster's CA certificate.",
    );
  }
  if (mode === 'disable' || mode === 'allow') return false;
  const options: tls.ConnectionOptions = {};
  if (r.sslcert !== undefined) options.cert = readPem(r.sslcert, 'sslcert');
  if (r.sslkey !== undefined) options.key = readPem(r.sslkey, 'sslkey');
  if (r.sslrootcert === undefined && (mode === 'prefer' || mode === 'require')) {
    options.rejectUnauthorized = false;
    return options;
  }
  options.rejectUnauthorized = true;
  if (r.sslrootcert === SYSTEM_ROOTS) {
    const roots = systemRoots();
    if (roots !== undefined) options.ca = roots;
  } else if (r.sslrootcert !== undefined) {
    options.ca = readPem(r.sslrootcert, 'sslrootcert');
  }
  // verify-ca (and prefer or require given a root certificate, as in libpq) trusts any name on a
  // certificate the CA signed; verify-full also checks the host.
  if (mode !== 'verify-full') options.checkServerIdentity = () => undefined;
  return options;
}

/**
 * The operating system's trusted roots where Node can list them (22.15 and later); else undefined,
 * which leaves Node's own well-known roots (and NODE_EXTRA_CA_CERTS) in charge.
 */
function systemRoots(): string[] | undefined {
  const list = (tls as { getCACertificates?: (type: 'system') => string[] }).getCACertificates;
  const roots = list?.('system');
  return roots !== undefined && roots.length > 0 ? roots : undefined;
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
