// What `cockroach demo` puts in its new cluster (pkg/cli/demo.go): an empty cluster of its own
// (defaultdb and postgres), then one workload's example database — movr unless another is named
// (`cockroach demo bank`) or --no-example-database asks for none — and its SQL shell connects to
// that database. Each demo is a new cluster: whatever an earlier one created is gone.
import type { Session } from '../sql/session';
import { initBank, type SqlClient } from '../workload/bank';
import { initKv } from '../workload/kv';
import { initMovr } from '../workload/movr';
import { initYcsb, ycsbConfig } from '../workload/ycsb';
import type { Lab } from './lab';
import { sessionClient } from './workloads';

/** The user `cockroach demo` creates and connects as. */
export const DEMO_USER = 'demo';

/** A workload demo can load: the database it creates and fills. */
interface DemoDataset {
  database: string;
  load: (client: SqlClient) => Promise<void>;
}

/** The datasets the lab can load, by the name `cockroach demo <name>` takes. */
const DATASETS: ReadonlyMap<string, DemoDataset> = new Map([
  [
    'movr',
    {
      database: 'movr',
      load: async (client) => {
        await initMovr(client);
      },
    },
  ],
  ['bank', { database: 'bank', load: (client) => initBank(client) }],
  [
    'ycsb',
    {
      database: 'ycsb',
      load: async (client) => {
        const config = ycsbConfig();
        if (typeof config === 'string') throw new Error(config);
        await initYcsb(client, config);
      },
    },
  ],
  ['kv', { database: 'kv', load: (client) => initKv(client) }],
]);

/** Workloads CockroachDB's demo offers as subcommands that the lab has no generator for. */
const OTHER_DEMO_WORKLOADS = new Set(['intro', 'startrek', 'tpcc', 'geo', 'roachmart', 'rand', 'tpch', 'json', 'ledger']);

export type DemoDatasetChoice = { name: string; dataset: DemoDataset | undefined } | { unknown: string } | undefined;

/** The dataset a `cockroach demo` command line asks for; undefined for none. */
export function demoDatasetOf(words: readonly string[], noExampleDatabase: boolean): DemoDatasetChoice {
  const named = words[2] !== undefined && !words[2].startsWith('-') ? words[2] : undefined;
  if (named !== undefined && !DATASETS.has(named) && !OTHER_DEMO_WORKLOADS.has(named)) return { unknown: named };
  if (noExampleDatabase) return undefined;
  const name = named ?? 'movr';
  return { name, dataset: DATASETS.get(name) };
}

/** Empties the cluster as a new demo finds it: every database but system and postgres dropped, defaultdb made anew. */
export async function emptyCluster(lab: Lab): Promise<void> {
  const session = lab.cluster.openSession({ nodeId: 1 });
  try {
    const [listed] = await session.execute('SHOW DATABASES');
    const names = (listed?.rows ?? []).map((row) => row[0] ?? '').filter((name) => name !== '' && name !== 'system' && name !== 'postgres');
    for (const name of names) await session.execute(`DROP DATABASE ${quoteIdent(name)} CASCADE`);
    await session.execute('CREATE DATABASE IF NOT EXISTS defaultdb');
    // demo's shell logs in as `demo`, an admin, who creates and so owns the example database.
    await session.execute(`CREATE USER IF NOT EXISTS ${DEMO_USER}`);
    await session.execute(`GRANT admin TO ${DEMO_USER}`);
  } finally {
    await lab.cluster.closeSession(session);
  }
}

/** Loads a dataset into the cluster; the database it is in, for the shell to connect to. */
export async function loadDataset(lab: Lab, name: string, dataset: DemoDataset | undefined): Promise<string> {
  const session: Session = lab.cluster.openSession({ nodeId: 1, user: DEMO_USER });
  try {
    if (dataset) await dataset.load(sessionClient(session));
    // A workload the lab cannot generate still gets its database, empty.
    else await session.execute(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(name)}`);
  } finally {
    await lab.cluster.closeSession(session);
  }
  return dataset?.database ?? name;
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
