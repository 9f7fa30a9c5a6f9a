// Starts the pinned code-server (a real VS Code) on a free 127.0.0.1 port with a throwaway
// HOME, user-data and extensions folders; stops its whole process group.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultCacheDir } from '../../cluster/src/engine/engine';
import { hostStarted, hostStopped } from './hostLogs';
import { until } from './patience';
import { toolPaths } from './tools';

export interface CodeServer {
  port: number;
  origin: string;
  workspace: string;
  logFile: string;
  /** URL opening the workspace, with an optional VS Code `payload` (test / dev paths). */
  url(payload?: [string, string][]): string;
  /** A path inside this machine, as the remote extension host sees it. */
  remoteUri(absolutePath: string): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Folder copied into a temp dir and opened (tests may change files in it). */
  workspaceSource: string;
  /** .vsix files installed before start. */
  install?: string[];
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  /** Workspace Trust on, as for a user: the folder opens in Restricted Mode. */
  workspaceTrust?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) killGroup(child);
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const tools = toolPaths();
  const root = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-host-'));
  const home = path.join(root, 'home');
  const userData = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  const workspace = path.join(root, 'workspace');
  const logFile = path.join(root, 'code-server.log');
  for (const dir of [home, path.join(userData, 'User'), extensionsDir]) mkdirSync(dir, { recursive: true });
  cpSync(options.workspaceSource, workspace, { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'workbench.enableExperiments': false,
        'security.workspace.trust.enabled': options.workspaceTrust === true,
        'chat.disableAIFeatures': true,
        // The secondary side bar (Chat's place) opens by default in a workspace, at a moment of its
        // own, and can take the focus from a command palette, which then closes without running its
        // command: the suspected cause of a Run File that never started in CI.
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.tips.enabled': false,
        // The first-run walkthrough takes the editor's focus at a moment of its own; the tests
        // that are about it turn it back on.
        'crdbStudio.walkthrough.openOnFirstRun': false,
        ...options.settings,
      },
      null,
      2,
    ),
  );
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    // The simulated cluster's prepared data directory is the same for every profile: share it.
    CRDB_STUDIO_CACHE: defaultCacheDir(),
    ...options.env,
  };
  const common = ['--user-data-dir', userData, '--extensions-dir', extensionsDir];
  for (const vsix of options.install ?? []) {
    await runToEnd(tools.node24, [tools.codeServerEntry, ...common, '--install-extension', vsix], env);
  }

  const port = await freePort();
  const log = createWriteStream(logFile);
  const child = spawn(
    tools.node24,
    [
      tools.codeServerEntry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust === true ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--vscode-option',
      'enable-smoke-test-driver',
      ...common,
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  hostStarted(root);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const origin = `http://127.0.0.1:${port}`;
  const server: CodeServer = {
    port,
    origin,
    workspace,
    logFile,
    url: (payload) => {
      const query = new URLSearchParams({ folder: workspace });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${origin}/?${query.toString()}`;
    },
    remoteUri: (absolutePath) => `vscode-remote://127.0.0.1:${port}${absolutePath}`,
    stop: async () => {
      running.delete(child);
      hostStopped(root);
      killGroup(child);
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        const timer = setTimeout(() => {
          killGroup(child, 'SIGKILL');
          resolve();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      log.end();
      if (!process.env['CRDB_KEEP_HOST']) rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await waitForHealth(origin, child);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitForHealth(origin: string, child: ChildProcess): Promise<void> {
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}`);
    try {
      return (await fetch(`${origin}/healthz`)).ok;
    } catch {
      return false; // not listening yet
    }
  }, `code-server to answer ${origin}/healthz`);
}

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(command)} ${args.join(' ')} failed (${String(code)}):\n${output}`));
    });
  });
}
