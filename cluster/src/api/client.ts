// The host side of the cluster API: starts the simulated cluster in a child process and talks to
// it with typed messages (./protocol.ts). The editor uses this; so can any Node program.
import { fork, type ChildProcess } from 'node:child_process';
import {
  CHILD_ARGUMENT,
  START_OPTIONS_ENV,
  type ClusterMessage,
  type ClusterReady,
  type ClusterRequest,
  type ClusterStartOptions,
  type ControlAction,
  type TopologySnapshot,
} from '../../../protocol/src/cluster';

type Pending = { resolve: (message: Extract<ClusterMessage, { type: 'response' }>) => void };
type Request = ClusterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class ClusterProcess {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(time: number) => void>();
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly ready: ClusterReady,
  ) {
    child.on('message', (message: ClusterMessage) => {
      if (message.type === 'response') {
        this.pending.get(message.id)?.resolve(message);
        this.pending.delete(message.id);
      } else if (message.type === 'changed') for (const listener of this.listeners) listener(message.time);
    });
    child.on('exit', () => {
      this.exited = true;
      for (const [id, pending] of this.pending)
        pending.resolve({ type: 'response', id, ok: false, message: 'the simulated cluster stopped' });
      this.pending.clear();
    });
  }

  /**
   * Starts the cluster. `entry` is the child's script (the cluster bundle dist/cluster/cluster.js,
   * or out/cluster/src/api/child.js in tests). Resolves once it serves SQL.
   */
  static start(entry: string, options: ClusterStartOptions = {}, execPath = process.execPath): Promise<ClusterProcess> {
    const child = fork(entry, [CHILD_ARGUMENT], {
      execPath,
      // VS Code's extension host is Electron: run the child as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', [START_OPTIONS_ENV]: JSON.stringify(options) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    return new Promise((resolve, reject) => {
      const onMessage = (message: ClusterMessage): void => {
        if (message.type === 'ready') {
          child.off('message', onMessage);
          resolve(new ClusterProcess(child, message.ready));
        } else if (message.type === 'failed') reject(new Error(`the simulated cluster did not start: ${message.message}`));
      };
      child.on('message', onMessage);
      child.once('exit', (code) => {
        reject(new Error(`the simulated cluster exited (code ${code ?? 'none'}) before it was ready${stderr ? `:\n${stderr}` : ''}`));
      });
      child.once('error', reject);
    });
  }

  get running(): boolean {
    return !this.exited;
  }

  private request(request: Request): Promise<Extract<ClusterMessage, { type: 'response' }>> {
    if (this.exited) return Promise.resolve({ type: 'response', id: 0, ok: false, message: 'the simulated cluster is not running' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      this.child.send({ ...request, id });
    });
  }

  async control(control: ControlAction): Promise<void> {
    const response = await this.request({ type: 'control', control });
    if (!response.ok) throw new Error(response.message);
  }

  async snapshot(): Promise<TopologySnapshot> {
    const response = await this.request({ type: 'snapshot' });
    if (!response.ok) throw new Error(response.message);
    if (!response.snapshot) throw new Error('the simulated cluster sent no snapshot');
    return response.snapshot;
  }

  /** Calls `listener` (debounced) whenever nodes or ranges change. */
  onChange(listener: (time: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) =>
      this.child.once('exit', () => {
        resolve();
      }),
    );
    await this.request({ type: 'stop' });
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    // Past the grace period (a loaded machine) it is terminated; either way stop() returns once
    // the process is gone, so `running` is false after it.
    if (this.running) {
      this.child.kill();
      await exited;
    }
  }
}
