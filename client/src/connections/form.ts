// The "Add Connection…" form as steps: name, host, port, database, user, TLS mode, certificates
// directory (for the verifying modes), password, then Test Connection and where to save. The
// steps talk to an injected UI (VS Code's quick input in the extension, a script in the tests),
// so the whole flow — defaults, validation, Back, Cancel — is tested without an editor.
import * as path from 'node:path';
import type { ConnectionProfile } from '../../../runner/src/types';
import type { ConnectionTest } from './testConnection';

export const BACK = Symbol('back');
export type Answer<T> = T | typeof BACK | undefined;

export interface StepPosition {
  title: string;
  step: number;
  totalSteps: number;
}

export interface InputStep extends StepPosition {
  prompt: string;
  value: string;
  placeholder?: string;
  password?: boolean;
  /** A message when the value cannot be used (shown under the box), else undefined. */
  validate(value: string): string | undefined;
}

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

export interface PickStep<T> extends StepPosition {
  placeholder: string;
  items: PickItem<T>[];
  /** The item first selected. */
  active?: T;
}

/** What the form needs from a UI: VS Code's quick input, or a test's script. Undefined answers cancel. */
export interface ConnectionFormUi {
  input(step: InputStep): Promise<Answer<string>>;
  pick<T>(step: PickStep<T>): Promise<Answer<T>>;
  /** Runs a slow task with a progress message. */
  busy<T>(message: string, task: () => Promise<T>): Promise<T>;
}

export interface ConnectionFormContext {
  /** Names already used by profiles (a new one must differ). */
  existingNames: readonly string[];
  /** Workspace settings can be written (a folder is open and trusted). */
  workspaceScope: boolean;
  homeDir: string;
  fileExists: (file: string) => boolean;
  test: (profile: ConnectionProfile, password: string | undefined) => Promise<ConnectionTest>;
}

export type SettingsScope = 'user' | 'workspace';

export interface ConnectionFormResult {
  profile: ConnectionProfile;
  /** Typed by the user; goes to secret storage only, never into `profile`. */
  password: string | undefined;
  scope: SettingsScope;
  /** The last Test Connection, if one ran. */
  test: ConnectionTest | undefined;
}

type TlsMode = NonNullable<ConnectionProfile['sslmode']>;

interface State {
  name: string;
  host: string;
  port: string;
  database: string;
  user: string;
  sslmode: TlsMode;
  certsDir: string;
  password: string;
  test: ConnectionTest | undefined;
  scope: SettingsScope | undefined;
}

const TITLE = 'crdb-studio: Add Connection';
/** `cockroach cert` and `cockroach sql` use this directory when --certs-dir is not given. */
const DEFAULT_CERTS_DIR = '~/.cockroach-certs';
const VERIFYING: ReadonlySet<TlsMode> = new Set(['verify-full', 'verify-ca']);

const TLS_MODES: PickItem<TlsMode>[] = [
  {
    label: 'verify-full',
    description: 'secure cluster',
    detail: "TLS; the server's certificate must be signed by your CA and name this host",
    value: 'verify-full',
  },
  { label: 'verify-ca', detail: "TLS; the server's certificate must be signed by your CA (any host name)", value: 'verify-ca' },
  { label: 'require', detail: 'TLS without checking who answers (encrypted, not authenticated)', value: 'require' },
  { label: 'prefer', description: "libpq's default", detail: 'TLS when the server offers it, else plaintext', value: 'prefer' },
  { label: 'disable', description: 'insecure cluster', detail: 'plaintext: a cluster started with --insecure', value: 'disable' },
];

/** `~/x` → home/x, for checking files; profiles keep what the user typed (runner/src/profile.ts expands it). */
function expandHome(file: string, home: string): string {
  return file === '~' ? home : file.startsWith('~/') ? path.join(home, file.slice(2)) : file;
}

/** The profile the answers describe: fields left at CockroachDB's defaults are still written, so the settings say where it points. */
export function profileOf(
  state: Omit<State, 'test' | 'scope' | 'password'>,
  fileExists: (file: string) => boolean,
  home: string,
): ConnectionProfile {
  const profile: ConnectionProfile = {
    name: state.name.trim(),
    host: state.host.trim(),
    port: Number(state.port),
    database: state.database.trim(),
    user: state.user.trim(),
    sslmode: state.sslmode,
  };
  if (VERIFYING.has(state.sslmode)) {
    const dir = state.certsDir.trim().replace(/\/+$/, '');
    profile.sslrootcert = `${dir}/ca.crt`;
    // A client certificate authenticates the user instead of a password, when `cockroach cert create-client` made one.
    const cert = `${dir}/client.${profile.user ?? 'root'}.crt`;
    const key = `${dir}/client.${profile.user ?? 'root'}.key`;
    if (fileExists(expandHome(cert, home)) && fileExists(expandHome(key, home))) {
      profile.sslcert = cert;
      profile.sslkey = key;
    }
  }
  return profile;
}

interface Step {
  /** Skipped when false (the certificates directory without a verifying TLS mode). */
  when?(state: State): boolean;
  ask(ui: ConnectionFormUi, state: State, at: StepPosition): Promise<Answer<true>>;
}

function required(what: string): (value: string) => string | undefined {
  return (value) => (value.trim() === '' ? `Enter the ${what}.` : undefined);
}

/** Sets `key` from an input step. */
function inputStep(
  key: 'name' | 'host' | 'port' | 'database' | 'user' | 'certsDir' | 'password',
  options: (state: State, context: ConnectionFormContext) => Omit<InputStep, keyof StepPosition | 'value'>,
  context: ConnectionFormContext,
  when?: (state: State) => boolean,
): Step {
  const step: Step = {
    ask: async (ui, state, at) => {
      const answer = await ui.input({ ...at, ...options(state, context), value: state[key] });
      if (answer === undefined || answer === BACK) return answer;
      state[key] = answer;
      return true;
    },
  };
  if (when) step.when = when;
  return step;
}

function steps(context: ConnectionFormContext): Step[] {
  return [
    inputStep(
      'name',
      (_state, ctx) => ({
        prompt: 'A name for the connection, shown in the status bar and the target picker',
        placeholder: 'e.g. staging',
        validate: (value) => {
          const name = value.trim();
          if (name === '') return 'Enter a name.';
          if (ctx.existingNames.includes(name)) return `A connection named "${name}" exists already.`;
          return undefined;
        },
      }),
      context,
    ),
    inputStep(
      'host',
      () => ({ prompt: 'Host of a node (or of the load balancer)', placeholder: 'localhost', validate: required('host') }),
      context,
    ),
    inputStep(
      'port',
      () => ({
        prompt: 'SQL port',
        placeholder: '26257',
        validate: (value) => {
          const port = Number(value.trim());
          return Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined : 'The port is a whole number from 1 to 65535.';
        },
      }),
      context,
    ),
    inputStep('database', () => ({ prompt: 'Database', placeholder: 'defaultdb', validate: required('database') }), context),
    inputStep('user', () => ({ prompt: 'SQL user', placeholder: 'root', validate: required('user name') }), context),
    {
      ask: async (ui, state, at) => {
        const answer = await ui.pick({ ...at, placeholder: 'TLS mode (sslmode)', items: TLS_MODES, active: state.sslmode });
        if (answer === undefined || answer === BACK) return answer;
        state.sslmode = answer;
        return true;
      },
    },
    inputStep(
      'certsDir',
      (_state, ctx) => ({
        prompt:
          'Certificates directory (the --certs-dir of cockroach cert): its ca.crt verifies the server; a client.<user>.crt and .key there are used too',
        placeholder: DEFAULT_CERTS_DIR,
        validate: (value) => {
          const dir = value.trim();
          if (dir === '') return 'Enter the certificates directory.';
          const ca = path.join(expandHome(dir, ctx.homeDir), 'ca.crt');
          return ctx.fileExists(ca) ? undefined : `There is no ca.crt in ${dir}.`;
        },
      }),
      context,
      (state) => VERIFYING.has(state.sslmode),
    ),
    inputStep(
      'password',
      () => ({
        prompt:
          "Password (optional; kept only in the editor's secret storage, never in settings). Leave empty for none or to be asked when needed.",
        password: true,
        validate: () => undefined,
      }),
      context,
    ),
    {
      ask: async (ui, state, at) => {
        for (;;) {
          const profile = profileOf(state, context.fileExists, context.homeDir);
          const password = state.password === '' ? undefined : state.password;
          const test = await ui.busy(`Testing ${profile.name}…`, () => context.test(profile, password));
          state.test = test;
          const failed = test.ok ? {} : { detail: `The test failed: ${test.message}` };
          const items: PickItem<SettingsScope | 'again'>[] = [{ label: 'Save to User Settings', ...failed, value: 'user' }];
          if (context.workspaceScope)
            items.push({ label: 'Save to Workspace Settings', description: 'shared with this folder', ...failed, value: 'workspace' });
          items.push({ label: 'Test Again', value: 'again' });
          const answer = await ui.pick<SettingsScope | 'again'>({
            ...at,
            placeholder: test.message,
            items,
            active: test.ok ? 'user' : 'again',
          });
          if (answer === undefined || answer === BACK) return answer;
          if (answer === 'again') continue;
          state.scope = answer;
          return true;
        }
      },
    },
  ];
}

/** Runs the form; undefined when the user cancels. */
export async function runConnectionForm(ui: ConnectionFormUi, context: ConnectionFormContext): Promise<ConnectionFormResult | undefined> {
  const state: State = {
    name: '',
    host: 'localhost',
    port: '26257',
    database: 'defaultdb',
    user: 'root',
    sslmode: 'verify-full',
    certsDir: DEFAULT_CERTS_DIR,
    password: '',
    test: undefined,
    scope: undefined,
  };
  const all = steps(context);
  const active = (index: number): boolean => all[index]?.when?.(state) ?? true;
  let index = 0;
  while (index < all.length) {
    const step = all[index];
    if (!step) break;
    const shown = all.filter((_s, i) => active(i));
    const at: StepPosition = { title: TITLE, step: all.slice(0, index + 1).filter((_s, i) => active(i)).length, totalSteps: shown.length };
    const answer = await step.ask(ui, state, at);
    if (answer === undefined) return undefined;
    if (answer === BACK) {
      do index--;
      while (index > 0 && !active(index));
      index = Math.max(index, 0);
      continue;
    }
    do index++;
    while (index < all.length && !active(index));
  }
  if (state.scope === undefined) return undefined;
  return {
    profile: profileOf(state, context.fileExists, context.homeDir),
    password: state.password === '' ? undefined : state.password,
    scope: state.scope,
    test: state.test,
  };
}
