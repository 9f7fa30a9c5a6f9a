// The MovR application (the cockroachdb/movr image's loadmovr.py), as tutorials run it in docker:
//   [--num-threads N] [--app-name NAME] [--url URL] [--log-level L] load [--num-users N]
//     [--num-vehicles N] [--num-rides N] [--num-histories N] [--num-promo-codes N] [--city C]… [--skip-init]
//   … run [--city C]… [--read-only-percentage P]
// `load` (re)creates the six MovR tables in the URL's database and gives every city
// ceil(N / cities) users, vehicles, rides and location histories, loaded by at most one thread
// per city, each thread adding ceil(promo codes / threads) promo codes; it logs as the app does.
// `run` checks every city has users and vehicles, then sends the app's mix (reads of a city's
// vehicles, else new rides) for a few simulated seconds; the app itself runs until stopped.
import type { SqlClient } from './bank';
import { initMovr, randomUuid, seededRandom } from './movr';

/** The app's cities when none is given (DEFAULT_PARTITION_MAP: us_east, us_west, us_central, eu_west). */
const DEFAULT_CITIES = [
  'new york',
  'boston',
  'washington dc',
  'san francisco',
  'seattle',
  'los angeles',
  'chicago',
  'detroit',
  'minneapolis',
  'amsterdam',
  'paris',
  'rome',
];

/**
 * How long `run` sends load before the lab stops it (the app runs until interrupted): less than
 * the 15 seconds after which it prints its first latency report, so it prints only its start-up lines.
 */
export const MOVR_APP_RUN_SECONDS = 10;
const OPS_PER_SECOND = 4;

export interface MovrAppCommand {
  command: 'load' | 'run';
  url: string;
  database: string;
  threads: number;
  cities: string[];
  users: number;
  vehicles: number;
  rides: number;
  histories: number;
  promoCodes: number;
  skipInit: boolean;
  multiRegion: boolean;
  readPercentage: number;
}

const VALUE_FLAGS = new Set([
  '--num-threads',
  '--log-level',
  '--app-name',
  '--url',
  '--num-users',
  '--num-vehicles',
  '--num-rides',
  '--num-histories',
  '--num-promo-codes',
  '--city',
  '--read-only-percentage',
  '--connection-duration',
]);

/** argparse's usage error, as the app prints it (exit status 2). */
function usage(message: string): string {
  return `usage: loadmovr.py [-h] [--num-threads NUM_THREADS] [--log-level LOG_LEVEL]\n                   [--app-name APP_NAME] [--url CONN_STRING] [--echo-sql]\n                   {load,run,configure-multi-region,partition} ...\nloadmovr.py: error: ${message}`;
}

/** The app's arguments (everything after the image name); a string is its error output. */
export function parseMovrApp(args: readonly string[]): MovrAppCommand | string {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  let command: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    if (!word.startsWith('--')) {
      if (command !== undefined) return usage(`unrecognized arguments: ${word}`);
      command = word;
      continue;
    }
    const equals = word.indexOf('=');
    const name = equals === -1 ? word : word.slice(0, equals);
    if (VALUE_FLAGS.has(name)) {
      const value = equals === -1 ? args[++i] : word.slice(equals + 1);
      if (value === undefined) return usage(`argument ${name}: expected one argument`);
      values.set(name, [...(values.get(name) ?? []), value]);
    } else flags.add(name);
  }
  if (command !== undefined && command !== 'load' && command !== 'run')
    return usage(
      `argument subparser_name: invalid choice: '${command}' (choose from 'load', 'run', 'configure-multi-region', 'partition')`,
    );
  const last = (name: string): string | undefined => values.get(name)?.at(-1);
  const integer = (name: string, fallback: number): number | string => {
    const text = last(name);
    if (text === undefined) return fallback;
    return /^-?\d+$/.test(text) ? Number(text) : usage(`argument ${name}: invalid int value: '${text}'`);
  };
  const numbers = {
    threads: integer('--num-threads', 5),
    users: integer('--num-users', 50),
    vehicles: integer('--num-vehicles', 10),
    rides: integer('--num-rides', 500),
    histories: integer('--num-histories', 1000),
    promoCodes: integer('--num-promo-codes', 1000),
  };
  for (const value of Object.values(numbers)) if (typeof value === 'string') return value;
  const url = last('--url') ?? 'postgres://root@localhost:26257/movr?sslmode=disable';
  // The app requires a URL naming a database followed by a query string (`…/movr?…`).
  const database = /^[^:]*:\/\/.*\/([^/?]*)\?/.exec(url)?.[1];
  if (database === undefined)
    return '[ERROR] (MainThread) The connection string needs to point to a database. Example: postgres://root@localhost:26257/mymovrdatabase?sslmode=disable';
  if ((numbers.threads as number) <= 0) return '[ERROR] (MainThread) Number of threads must be greater than 0.';
  const readPercentage = Number(last('--read-only-percentage') ?? 0.95);
  return {
    command: command === 'load' ? 'load' : 'run',
    url,
    database: decodeURIComponent(database) || 'movr',
    cities: values.get('--city') ?? DEFAULT_CITIES,
    skipInit: flags.has('--skip-init'),
    multiRegion: flags.has('--multi-region'),
    readPercentage,
    ...(numbers as Record<keyof typeof numbers, number>),
  };
}

/** Python's repr of a list of strings: ['boston', 'new york']. */
function pythonList(items: readonly string[]): string {
  return `[${items.map((item) => (item.includes("'") && !item.includes('"') ? `"${item}"` : `'${item.replace(/'/g, "\\'")}'`)).join(', ')}]`;
}

function info(thread: string, message: string): string {
  return `[INFO] (${thread.padEnd(10)}) ${message}`;
}

/** What a load or run does to the cluster, and the log it prints. */
export interface MovrAppResult {
  lines: string[];
  /** The app's error (logged, exit status 1); the lines before it were printed. */
  error?: string;
}

/** `load`: the tables, then each city's rows, thread by thread. `elapsedSeconds` reads the time spent. */
export async function loadMovrApp(client: SqlClient, app: MovrAppCommand, elapsedSeconds: () => number): Promise<MovrAppResult> {
  const lines = [info('MainThread', `connected to movr database @ ${app.url}`)];
  if (app.users <= 0 || app.rides <= 0 || app.vehicles <= 0)
    return { lines, error: 'ValueError: The number of objects to generate must be > 0' };
  lines.push(info('MainThread', app.multiRegion ? 'Loading multi region MovR' : 'Loading single region MovR'));
  if (!app.skipInit) lines.push(info('MainThread', 'initializing tables'));
  lines.push(
    info('MainThread', `loading cities ${pythonList(app.cities)}`),
    info(
      'MainThread',
      `loading movr data with ~${app.users} users, ~${app.vehicles} vehicles, ~${app.rides} rides, ~${app.histories} histories, and ~${app.promoCodes} promo codes`,
    ),
  );
  const threads = Math.min(app.threads, app.cities.length);
  if (threads < app.threads)
    lines.push(
      info('MainThread', `Only using ${threads} of ${app.threads} requested threads, since we only create at most one thread per city`),
    );
  const perCity = (total: number): number => Math.ceil(total / app.cities.length);
  const citiesPerThread = Math.ceil(app.cities.length / threads);
  const codesPerThread = Math.ceil(app.promoCodes / threads);
  const groups: string[][] = [];
  for (let i = 0; i < app.cities.length; i += citiesPerThread) groups.push(app.cities.slice(i, i + citiesPerThread));
  let first = true;
  for (const [index, cities] of groups.entries()) {
    const thread = `Thread-${index + 1}`;
    const started = elapsedSeconds();
    for (const city of cities) {
      await initMovr(client, {
        database: app.database,
        cities: [city],
        users: perCity(app.users),
        vehicles: perCity(app.vehicles),
        rides: perCity(app.rides),
        histories: perCity(app.histories),
        promoCodes: 0,
        skipInit: app.skipInit || !first,
        foreignKeys: false,
        seed: index * 1009 + app.cities.indexOf(city) + 1,
      });
      first = false;
      for (const what of ['user', 'vehicle', 'ride', 'location history'])
        lines.push(info(thread, `Generating ${what} data for ${city}...`));
      lines.push(info(thread, `populated ${city} in ${(elapsedSeconds() - started).toFixed(6)} seconds`));
    }
    lines.push(info(thread, `Generating ${codesPerThread} promo codes...`));
    await addPromoCodes(client, app.database, codesPerThread, index + 1);
  }
  lines.push(info('MainThread', `populated ${app.cities.length} cities in ${elapsedSeconds().toFixed(6)} seconds`));
  return { lines };
}

async function addPromoCodes(client: SqlClient, database: string, count: number, seed: number): Promise<void> {
  const next = seededRandom(seed * 7_919);
  const words = ['blue', 'quick', 'ride', 'city', 'green', 'fast', 'summer', 'night', 'free', 'bonus', 'share', 'lucky'];
  const pick = (): string => words[Math.floor(next() * words.length)] ?? 'ride';
  for (let begin = 0; begin < count; begin += 200) {
    const rows: string[] = [];
    for (let i = begin; i < Math.min(count, begin + 200); i++)
      rows.push(
        `('${pick()}_${pick()}_${pick()}_${seed}_${i}', '${pick()} ${pick()} ${pick()}.', now(), now() + INTERVAL '${Math.floor(next() * 30)} days', '{"type": "percent_discount", "value": "10%"}')`,
      );
    await client.query(
      `INSERT INTO ${sqlName(database)}.promo_codes (code, description, creation_time, expiration_time, rules) VALUES ${rows.join(', ')}`,
    );
  }
}

function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * `run`: the warm-up reads, then the app's operations for `seconds` simulated seconds, `advance`
 * moving the cluster's clock a second at a time.
 */
export async function runMovrApp(
  client: SqlClient,
  app: MovrAppCommand,
  advance: (ms: number) => void,
  seconds = MOVR_APP_RUN_SECONDS,
): Promise<MovrAppResult> {
  const db = sqlName(app.database);
  const lines = [info('MainThread', `connected to movr database @ ${app.url}`)];
  if (app.readPercentage < 0 || app.readPercentage > 1) return { lines, error: 'ValueError: read percentage must be between 0 and 1' };
  lines.push(info('MainThread', `simulating movr load for cities ${pythonList(app.cities)}`), info('MainThread', 'warming up....'));
  const people = new Map<string, { users: string[]; vehicles: string[] }>();
  for (const city of app.cities) {
    const users = await client.query(`SELECT id FROM ${db}.users WHERE city = ${literal(city)}`);
    const vehicles = await client.query(`SELECT id FROM ${db}.vehicles WHERE city = ${literal(city)}`);
    const ids = (rows: Record<string, unknown>[]): string[] => rows.map((r) => String(r.id));
    if (users.rows.length === 0 || vehicles.rows.length === 0) {
      return {
        lines,
        error: `[ERROR] (MainThread) must have users and vehicles for city '${city}' in the movr database to generate load. try running with the 'load' command.`,
      };
    }
    people.set(city, { users: ids(users.rows), vehicles: ids(vehicles.rows) });
  }
  lines.push(info('MainThread', app.multiRegion ? 'running multi-region queries...' : 'running single region queries...'));
  const next = seededRandom(app.cities.length * 31 + app.url.length);
  const choose = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  for (let second = 0; second < seconds; second++) {
    for (let i = 0; i < OPS_PER_SECOND; i++) {
      const city = choose(app.cities);
      const known = people.get(city);
      if (next() < app.readPercentage || !known) {
        await client.query(`SELECT city, id FROM ${db}.vehicles WHERE city = ${literal(city)} LIMIT 25`);
        continue;
      }
      await client.query(
        `INSERT INTO ${db}.rides (id, city, vehicle_city, rider_id, vehicle_id, start_address, start_time) VALUES ('${randomUuid(next)}', ${literal(city)}, ${literal(city)}, '${choose(known.users)}', '${choose(known.vehicles)}', '1 Main Street', now())`,
      );
    }
    advance(1000);
  }
  return { lines };
}
