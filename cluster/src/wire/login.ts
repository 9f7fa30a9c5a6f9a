// Who may log in to the simulated cluster, as `cockroach demo` decides: root from this machine,
// without a password; any other user with the password it was given (CREATE USER … WITH
// PASSWORD), asked for in cleartext as CockroachDB's password method asks. A user without a
// password, one that may not log in (a role) and one that does not exist are refused alike, with
// 28P01, as on CockroachDB. The password is checked against the engine's verifier and kept nowhere.
import type { PostgresConnectionOptions } from 'pg-gateway' with { 'resolution-mode': 'import' };
import type { Catalog } from '../sql/catalog';
import { knownUsers, passwordMatches, ROOT } from '../sql/users';
import type { PGlite } from '@electric-sql/pglite';

type AuthOptions = NonNullable<PostgresConnectionOptions['auth']>;

/** What the check needs of the cluster: its users, kept in the catalog and read from the engine. */
export interface LoginTarget {
  readonly catalog: Catalog;
  readonly engine: PGlite;
}

export class Login {
  /**
   * pg-gateway's authentication for one connection. pg-gateway takes one method per connection,
   * and the user is known only from the startup packet, so the method is set in place by
   * `choose`, which pg-gateway calls (onStartup) before it reads the method.
   */
  readonly auth: AuthOptions = { method: 'trust' };

  constructor(
    private readonly cluster: LoginTarget,
    private readonly remoteAddress: string | undefined,
  ) {}

  choose(user: string): void {
    if (user === ROOT && isLoopback(this.remoteAddress)) return;
    Object.assign(this.auth, {
      method: 'password',
      getClearTextPassword: () => '',
      validateCredentials: async ({ username, password }: { username: string; password: string }) => {
        try {
          return passwordMatches(await knownUsers(this.cluster.catalog, this.cluster.engine), username, password);
        } catch {
          // The users could not be read (the engine is busy in an aborted transaction): refused.
          return false;
        }
      },
    });
  }
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}
