// Passwords for connection profiles, kept in the editor's secret storage (vscode.SecretStorage in
// the extension, anything with get/store/delete in tests). A password is keyed by the profile's
// name and the user@host:port/database it resolves to, so a workspace that defines its own "prod"
// pointing at another host never receives the password typed for the first one. A password is
// stored only once a connection with it succeeded: a mistyped one is never kept.
import { failureOf } from './failures';
import { endpointOf } from './profile';
import type { ConnectionFailure, ConnectionProfile } from './types';

/** The part of vscode.SecretStorage used here. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

const PREFIX = 'crdbStudio.password';

/** The secret's key: the profile's name and where it connects, unambiguous whatever they contain. */
export function passwordKey(profile: ConnectionProfile): string {
  return `${PREFIX}:${JSON.stringify([profile.name, endpointOf(profile) ?? ''])}`;
}

/** Where versions before per-endpoint keys kept a profile's password: only ever deleted now. */
function nameOnlyKey(profile: ConnectionProfile): string {
  return `${PREFIX}.${profile.name}`;
}

export class Passwords {
  constructor(private readonly secrets: SecretStore) {}

  /** The password kept for this profile at this endpoint, if any. */
  async stored(profile: ConnectionProfile): Promise<string | undefined> {
    return this.secrets.get(passwordKey(profile));
  }

  async remember(profile: ConnectionProfile, password: string): Promise<void> {
    await this.secrets.store(passwordKey(profile), password);
  }

  async forget(profile: ConnectionProfile): Promise<void> {
    await this.secrets.delete(passwordKey(profile));
    await this.secrets.delete(nameOnlyKey(profile));
  }
}

export interface PasswordPrompt<T> {
  /** Connects with `password` (undefined: none); a wrong one throws a ConnectionError of kind 'auth'. */
  open(password: string | undefined): Promise<T>;
  /** Asks for the password, saying why (`failure`, undefined before any attempt); undefined when the user cancels. */
  ask(failure: ConnectionFailure | undefined): PromiseLike<string | undefined>;
}

/**
 * Connects with the stored password (or none, or one asked for first with `askFirst`); while the
 * server refuses it, asks again saying why. A password typed here is stored once it worked.
 * Undefined when the user cancelled before any attempt; a cancel after an authentication failure
 * rethrows that failure, so the caller reports it. Other failures are thrown as they come.
 */
export async function connectWithPassword<T>(
  passwords: Passwords,
  profile: ConnectionProfile,
  prompt: PasswordPrompt<T>,
  askFirst = false,
): Promise<T | undefined> {
  let typed = askFirst;
  let password = askFirst ? await prompt.ask(undefined) : await passwords.stored(profile);
  if (askFirst && password === undefined) return undefined;
  for (;;) {
    try {
      const connected = await prompt.open(password === '' ? undefined : password);
      if (typed && password !== undefined) await passwords.remember(profile, password);
      return connected;
    } catch (error) {
      const failure = failureOf(error);
      if (failure?.kind !== 'auth') throw error;
      const next = await prompt.ask(failure);
      if (next === undefined) throw error;
      password = next;
      typed = true;
    }
  }
}
