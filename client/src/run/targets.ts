// Where SQL runs: the simulated cluster (always there, the default) or a connection profile from
// the settings. A status bar item shows the target and switches it; passwords are asked for when
// the server wants one and kept in SecretStorage once they worked (runner/src/credentials.ts),
// never in settings or logs.
import * as vscode from 'vscode';
import { Passwords } from '../../../runner/src/credentials';
import { describeProfile } from '../../../runner/src/profile';
import type { ConnectionFailure, ConnectionProfile } from '../../../runner/src/types';
import { readConnectionProfiles, SECTION } from '../settings';

export const SIMULATED_ID = 'simulated';

export interface Target {
  id: string;
  label: string;
  /** The simulated cluster, or a real one. */
  simulated: boolean;
  profile?: ConnectionProfile;
}

const SIMULATED: Target = { id: SIMULATED_ID, label: 'Simulated cluster', simulated: true };
const STATE_KEY = 'crdbStudio.target';
const SSL_MODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

/** Profiles as written in settings, checked; what is wrong with the others, in words. */
export function parseProfiles(values: readonly unknown[]): { profiles: ConnectionProfile[]; problems: string[] } {
  const profiles: ConnectionProfile[] = [];
  const problems: string[] = [];
  values.forEach((value, i) => {
    if (typeof value !== 'object' || value === null) {
      problems.push(`connection ${i + 1} is not an object`);
      return;
    }
    const v = value as Record<string, unknown>;
    if (typeof v.name !== 'string' || v.name.trim() === '') {
      problems.push(`connection ${i + 1} has no name`);
      return;
    }
    if (profiles.some((p) => p.name === v.name)) {
      problems.push(`two connections are named "${v.name}"`);
      return;
    }
    if (v.sslmode !== undefined && !(typeof v.sslmode === 'string' && SSL_MODES.has(v.sslmode))) {
      problems.push(`connection "${v.name}": sslmode must be one of ${[...SSL_MODES].join(', ')}`);
      return;
    }
    const profile: ConnectionProfile = { name: v.name };
    for (const key of ['url', 'host', 'database', 'user', 'sslrootcert', 'sslcert', 'sslkey', 'applicationName'] as const) {
      if (typeof v[key] === 'string') profile[key] = v[key];
    }
    if (typeof v.port === 'number') profile.port = v.port;
    if (typeof v.sslmode === 'string') profile.sslmode = v.sslmode as NonNullable<ConnectionProfile['sslmode']>;
    profiles.push(profile);
  });
  return { profiles, problems };
}

export class Targets implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('crdbStudio.target', vscode.StatusBarAlignment.Left, 99);
  private readonly changed = new vscode.EventEmitter<Target>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: { dispose(): unknown }[] = [];
  /** Keyed per profile and endpoint, stored only after a connection with them worked. */
  readonly passwords: Passwords;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.passwords = new Passwords(context.secrets);
    this.item.name = 'crdb-studio target';
    this.item.command = 'crdbStudio.selectTarget';
    this.subscriptions.push(
      this.item,
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.connections`)) this.update();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.update();
      }),
    );
    this.update();
  }

  list(): Target[] {
    const { profiles, problems } = parseProfiles(readConnectionProfiles());
    for (const problem of problems) this.output.warn(`crdbStudio.connections: ${problem}`);
    return [SIMULATED, ...profiles.map((profile) => ({ id: `profile:${profile.name}`, label: profile.name, simulated: false, profile }))];
  }

  current(): Target {
    const id = this.context.workspaceState.get<string>(STATE_KEY) ?? SIMULATED_ID;
    return this.list().find((t) => t.id === id) ?? SIMULATED;
  }

  async setCurrent(id: string): Promise<void> {
    await this.context.workspaceState.update(STATE_KEY, id);
    this.update();
    this.changed.fire(this.current());
  }

  /** Quick pick of the targets; returns the chosen one. */
  async select(): Promise<Target | undefined> {
    const current = this.current();
    const items = this.list().map((target) => ({
      label: `${target.id === current.id ? '$(check) ' : ''}${target.label}`,
      description: target.simulated ? 'offline, nothing to set up' : describe(target.profile),
      target,
    }));
    const add = { label: '$(add) Add Connection…', description: 'step by step, with Test Connection', target: undefined, action: 'add' };
    const edit = {
      label: '$(gear) Edit connections…',
      description: 'crdbStudio.connections in settings',
      target: undefined,
      action: 'edit',
    };
    const picked = await vscode.window.showQuickPick([...items, add, edit], {
      title: 'crdb-studio: run SQL on',
      placeHolder: current.label,
    });
    if (!picked) return undefined;
    if (!picked.target) {
      if ('action' in picked && picked.action === 'add') await vscode.commands.executeCommand('crdbStudio.addConnection');
      else await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.connections`);
      return undefined;
    }
    await this.setCurrent(picked.target.id);
    return picked.target;
  }

  /** Asks for a profile's password, saying why the last one failed; undefined when the user cancels. */
  askPassword(profile: ConnectionProfile, failure: ConnectionFailure | undefined): Thenable<string | undefined> {
    const kept = "kept in the editor's secret storage once it works; leave empty for none";
    return vscode.window.showInputBox({
      title: `Password for ${profile.name}`,
      prompt: failure ? `${failure.message}. Enter the password for ${describe(profile)}` : `${describe(profile)} — ${kept}`,
      password: true,
      ignoreFocusOut: true,
    });
  }

  /** Keeps the password of the profile named `profileName`, as it connects now, in the editor's secret storage. */
  async storePassword(profileName: string, password: string): Promise<void> {
    const profile = this.list().find((t) => t.profile?.name === profileName)?.profile;
    if (!profile) throw new Error(`no connection profile named "${profileName}"`);
    await this.passwords.remember(profile, password);
  }

  async forgetPassword(profile: ConnectionProfile): Promise<void> {
    await this.passwords.forget(profile);
  }

  private update(): void {
    const target = this.current();
    this.item.text = `$(server-environment) ${target.label}`;
    this.item.tooltip = target.simulated
      ? 'SQL runs on the simulated cluster (click to change)'
      : `SQL runs on ${describe(target.profile)} (click to change)`;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** user@host:port/database, never a password ('' for the simulated cluster). */
export function describe(profile: ConnectionProfile | undefined): string {
  return profile ? describeProfile(profile) : '';
}
