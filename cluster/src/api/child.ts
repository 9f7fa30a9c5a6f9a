// The cluster's child process: starts the simulator and its wire server, then answers the host's
// requests over the IPC channel and tells it when the topology changes. It runs when the script is
// started with CHILD_ARGUMENT (ClusterProcess.start passes it), whether as out/…/child.js or inside
// the cluster bundle (dist/cluster/cluster.js), which the CLI also loads for its cluster commands.
import { Simulator } from '../simulator';
import { WireServer } from '../wire/server';
import { applyControl } from '../model/control';
import {
  CHILD_ARGUMENT,
  START_OPTIONS_ENV,
  type ClusterMessage,
  type ClusterRequest,
  type ClusterStartOptions,
  type SnapshotRange,
} from '../../../protocol/src/cluster';
import type { RangeState } from '../model/cluster';

function send(message: ClusterMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env[START_OPTIONS_ENV] ?? '{}') as ClusterStartOptions;
  const started = performance.now();
  const simulator = await Simulator.start({
    ...(options.nodes !== undefined ? { nodes: options.nodes } : {}),
    global: options.global ?? true,
    seed: options.seed ?? 1,
    time: 'real',
    ...(options.rangeMaxBytes !== undefined ? { rangeMaxBytes: options.rangeMaxBytes } : {}),
    ...(options.store !== undefined ? { store: options.store } : {}),
  });
  const server = await WireServer.start(simulator, { port: options.port ?? 0 });
  let pending: NodeJS.Timeout | undefined;
  simulator.on(() => {
    pending ??= setTimeout(() => {
      pending = undefined;
      send({ type: 'changed', time: simulator.clock.now() });
    }, 100);
  });
  const stop = async (): Promise<void> => {
    await server.close();
    await simulator.close();
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('message', (raw: ClusterRequest) => {
    void (async () => {
      try {
        if (raw.type === 'stop') {
          send({ type: 'response', id: raw.id, ok: true });
          await stop();
        } else if (raw.type === 'snapshot') {
          await simulator.refreshSpansOutsideSessions();
          send({
            type: 'response',
            id: raw.id,
            ok: true,
            snapshot: {
              time: simulator.clock.now(),
              nodes: [...simulator.model.nodes()],
              ranges: simulator.model.ranges().map(withoutZone),
            },
          });
        } else {
          applyControl(simulator, raw.control);
          // With a store, the topology it now has is kept before the editor hears it is done.
          await simulator.persist().catch(() => undefined);
          send({ type: 'response', id: raw.id, ok: true });
        }
      } catch (error) {
        send({ type: 'response', id: raw.id, ok: false, message: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  const addresses = Object.fromEntries(simulator.addresses);
  send({
    type: 'ready',
    ready: {
      addresses,
      url: `postgresql://root@${simulator.addresses.get(1) ?? ''}/defaultdb?sslmode=disable`,
      startMs: performance.now() - started,
    },
  });
}

// Only the argument decides: inside the bundle this file is not the main module, and a process that
// loads the bundle for a CLI command has its command there.
if (process.argv[2] === CHILD_ARGUMENT)
  main().catch((error: unknown) => {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });

function withoutZone(range: RangeState): SnapshotRange {
  const { zone, spanKey, ...rest } = range;
  return rest;
}
