// Turns what node-postgres and Node's sockets throw while connecting into a ConnectionFailure a
// user can act on: which of host, port, credentials, TLS or database is wrong, and what to try.
import type { ConnectionFailure, ConnectionFailureKind } from './types';

/** An Error carrying a ConnectionFailure, so callers can tell a bad profile from a bug. */
export class ConnectionError extends Error {
  constructor(readonly failure: ConnectionFailure) {
    super(failure.message);
    this.name = 'ConnectionError';
  }
}

export function failureOf(error: unknown): ConnectionFailure | undefined {
  return error instanceof ConnectionError ? error.failure : undefined;
}

/** What a message may name: a ConnectionProfile, or the node-postgres config made from one. */
export interface FailureTarget {
  url?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  user?: string | undefined;
  database?: string | undefined;
  /** Only ever used to scrub it from messages that echo their input. */
  password?: unknown;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** The chain does not lead to a root the profile trusts (its sslrootcert, or the system's roots). */
const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

const TLS_HINT =
  'Check sslmode and sslrootcert in the profile: verify-full and verify-ca (and require given an sslrootcert) check the server against the cluster\'s CA certificate in sslrootcert; sslrootcert=system accepts only publicly trusted CAs (for a local insecure cluster use sslmode "disable").';

export function classifyConnectionError(error: unknown, target: FailureTarget): ConnectionFailure {
  const known = failureOf(error);
  if (known) return known;
  const where = endpoint(target);
  const code = stringField(error, 'code') ?? '';
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
  const make = (kind: ConnectionFailureKind, text: string, hint?: string): ConnectionFailure =>
    scrub(hint === undefined ? { kind, message: text } : { kind, message: text, hint }, target);

  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return make('host', `cannot resolve host ${where.host}`, 'Check the host name in the profile, and your network or VPN.');
  }
  if (code === 'ECONNREFUSED') {
    return make(
      'refused',
      `nothing listens on ${where.host}:${where.port} — is the cluster running?`,
      'Start the cluster, or check the host and port in the profile.',
    );
  }
  if (
    code === 'ETIMEDOUT' ||
    code === 'ENETUNREACH' ||
    code === 'EHOSTUNREACH' ||
    /timeout expired|timed out|connection timeout/i.test(message)
  ) {
    return make(
      'timeout',
      `no answer from ${where.host}:${where.port} in time`,
      'A firewall or an IP allowlist may be dropping the connection; check the host, the port and your network.',
    );
  }
  if (code === '28P01' || code === '28000') {
    return make(
      'auth',
      `authentication failed for user ${where.user}: ${message}`,
      'Check the user name and the stored password (or the client certificate) for this profile.',
    );
  }
  // node-postgres's words when the server asks for a password the profile has none for.
  if (/password must be a string|no password supplied/i.test(message)) {
    return make('auth', `the server wants a password for user ${where.user}`, 'Set the password for this connection profile.');
  }
  if (code === '3D000') {
    return make('database', `database ${where.database} does not exist: ${message}`, 'Check the database name in the profile.');
  }
  if (UNTRUSTED_CODES.has(code)) {
    return make(
      'tls',
      `TLS handshake with ${where.host}:${where.port} failed: the server's certificate is not signed by a CA the profile trusts (${message})`,
      TLS_HINT,
    );
  }
  if (TLS_CODES.has(code) || /does not support SSL|certificate|\bssl\b|\btls\b/i.test(message)) {
    return make('tls', `TLS handshake with ${where.host}:${where.port} failed: ${message}`, TLS_HINT);
  }
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    /Connection terminated unexpectedly/i.test(message)
  ) {
    return make(
      'dropped',
      `the connection to ${where.host}:${where.port} was closed: ${message}`,
      'Reconnect; session settings and any open transaction are gone.',
    );
  }
  return make('other', `cannot connect to ${where.host}:${where.port}: ${message}`);
}

function endpoint(target: FailureTarget): { host: string; port: number; user: string; database: string } {
  let host = target.host;
  let port = target.port;
  let user = target.user;
  let database = target.database;
  if (target.url !== undefined) {
    try {
      const url = new URL(target.url);
      host = url.hostname.replace(/^\[(.*)\]$/, '$1') || host;
      port = url.port ? Number(url.port) : port;
      user = url.username ? decodeURIComponent(url.username) : user;
      const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
      database = path || database;
    } catch {
      // A URL that does not parse is reported by profile.ts; here the fields are enough.
    }
  }
  return { host: host ?? 'localhost', port: port ?? 26257, user: user ?? 'root', database: database ?? 'defaultdb' };
}

/** Messages may echo what they were given; a password must never reach the screen or a log. */
function scrub(failure: ConnectionFailure, target: FailureTarget): ConnectionFailure {
  const password = target.password;
  if (typeof password !== 'string' || password === '') return failure;
  const hide = (text: string): string => text.split(password).join('****');
  return failure.hint === undefined
    ? { kind: failure.kind, message: hide(failure.message) }
    : { kind: failure.kind, message: hide(failure.message), hint: hide(failure.hint) };
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}
