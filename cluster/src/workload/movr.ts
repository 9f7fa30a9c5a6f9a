// The movr workload, like `cockroach workload init|run movr` (pkg/workload/movr): MovR, a
// fictional ride-sharing company — users, vehicles, rides, location histories and promo codes in
// nine cities, and a run that is 90% reads of a city's vehicles and 10% writes (location updates,
// new rides and users). Rows are generated here deterministically, in the same shapes.
import type { SqlClient } from './bank';

export const MOVR_CITIES = ['new york', 'boston', 'washington dc', 'seattle', 'san francisco', 'los angeles', 'amsterdam', 'paris', 'rome'];

export interface MovrOptions {
  users?: number;
  vehicles?: number;
  rides?: number;
  histories?: number;
  promoCodes?: number;
  seed?: number;
  /** The cities the rows are spread over (workload's nine by default; the MovR app's --city). */
  cities?: readonly string[];
  /** The database the tables go into (`movr`; the MovR app loads the one its URL names). */
  database?: string;
  /** Keep the database's existing tables and add rows to them (the MovR app's --skip-init). */
  skipInit?: boolean;
  /** Add workload's foreign keys after loading (true; the MovR app's single-region load has none). */
  foreignKeys?: boolean;
}

const TABLES: [string, string][] = [
  [
    'users',
    '(id UUID NOT NULL, city VARCHAR NOT NULL, name VARCHAR NULL, address VARCHAR NULL, credit_card VARCHAR NULL, PRIMARY KEY (city ASC, id ASC))',
  ],
  [
    'vehicles',
    '(id UUID NOT NULL, city VARCHAR NOT NULL, type VARCHAR NULL, owner_id UUID NULL, creation_time TIMESTAMP NULL, status VARCHAR NULL, current_location VARCHAR NULL, ext JSONB NULL, PRIMARY KEY (city ASC, id ASC), INDEX vehicles_auto_index_fk_city_ref_users (city ASC, owner_id ASC))',
  ],
  [
    'rides',
    '(id UUID NOT NULL, city VARCHAR NOT NULL, vehicle_city VARCHAR NULL, rider_id UUID NULL, vehicle_id UUID NULL, start_address VARCHAR NULL, end_address VARCHAR NULL, start_time TIMESTAMP NULL, end_time TIMESTAMP NULL, revenue DECIMAL(10,2) NULL, PRIMARY KEY (city ASC, id ASC), INDEX rides_auto_index_fk_city_ref_users (city ASC, rider_id ASC), INDEX rides_auto_index_fk_vehicle_city_ref_vehicles (vehicle_city ASC, vehicle_id ASC), CONSTRAINT check_vehicle_city_city CHECK (vehicle_city = city))',
  ],
  [
    'vehicle_location_histories',
    '(city VARCHAR NOT NULL, ride_id UUID NOT NULL, "timestamp" TIMESTAMP NOT NULL, lat FLOAT8 NULL, long FLOAT8 NULL, PRIMARY KEY (city ASC, ride_id ASC, "timestamp" ASC))',
  ],
  [
    'promo_codes',
    '(code VARCHAR NOT NULL, description VARCHAR NULL, creation_time TIMESTAMP NULL, expiration_time TIMESTAMP NULL, rules JSONB NULL, PRIMARY KEY (code ASC))',
  ],
  [
    'user_promo_codes',
    '(city VARCHAR NOT NULL, user_id UUID NOT NULL, code VARCHAR NOT NULL, "timestamp" TIMESTAMP NULL, usage_count INT NULL, PRIMARY KEY (city ASC, user_id ASC, code ASC))',
  ],
];

/** The foreign keys workload adds after loading (its PostLoad hook). */
const FOREIGN_KEYS = [
  'ALTER TABLE vehicles ADD FOREIGN KEY (city, owner_id) REFERENCES users (city, id)',
  'ALTER TABLE rides ADD FOREIGN KEY (city, rider_id) REFERENCES users (city, id)',
  'ALTER TABLE rides ADD FOREIGN KEY (vehicle_city, vehicle_id) REFERENCES vehicles (city, id)',
  'ALTER TABLE vehicle_location_histories ADD FOREIGN KEY (city, ride_id) REFERENCES rides (city, id)',
  'ALTER TABLE user_promo_codes ADD FOREIGN KEY (city, user_id) REFERENCES users (city, id)',
];

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'Maria', 'Carl'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Martinez', 'Lopez', 'Wilson', 'Moore'];
const STREETS = ['Main Street', 'Oak Avenue', 'Park Road', 'Lake View', 'Hill Street', 'River Lane', 'Elm Court', 'Cedar Way'];
const WORDS = ['blue', 'quick', 'ride', 'city', 'green', 'fast', 'summer', 'night', 'free', 'bonus', 'share', 'lucky', 'metro', 'urban'];
const VEHICLE_TYPES = ['skateboard', 'bike', 'scooter'];
const STATUSES = ['available', 'in_use', 'lost'];

/** A small deterministic generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

/** A version-4 UUID from the generator. */
export function randomUuid(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (Math.floor(next() * 4) + 8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function literal(value: string | number | null): string {
  if (value === null) return 'NULL';
  return typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`;
}

function address(next: () => number): string {
  return `${1 + Math.floor(next() * 99999)} ${pick(next, STREETS)}`;
}

/** Rows spread over the cities as workload's cityDistributor spreads them: contiguous, even shares. */
function cityOfRow(row: number, rows: number, cities: readonly string[]): string {
  return cities[Math.min(cities.length - 1, Math.floor(row / (rows / cities.length)))] ?? 'new york';
}

/** A name as a SQL identifier: bare when lower-case letters, digits and underscores, else quoted. */
function identifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

async function insertRows(client: SqlClient, table: string, rows: (string | number | null)[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100)
    await client.query(
      `INSERT INTO ${table} VALUES ${rows
        .slice(i, i + 100)
        .map((r) => `(${r.map(literal).join(', ')})`)
        .join(', ')}`,
    );
}

/** Creates database movr and loads it; returns the rows loaded per table, in workload's order. */
export async function initMovr(client: SqlClient, options: MovrOptions = {}): Promise<[string, number][]> {
  const next = seededRandom(options.seed ?? 1);
  const cities = options.cities ?? MOVR_CITIES;
  const db = identifier(options.database ?? 'movr');
  const cityOf = (row: number, rows: number): string => cityOfRow(row, rows, cities);
  const counts = {
    users: options.users ?? 50,
    vehicles: options.vehicles ?? 15,
    rides: options.rides ?? 500,
    histories: options.histories ?? 1000,
    promo: options.promoCodes ?? 1000,
  };
  if (Math.min(counts.users, counts.vehicles, counts.rides, counts.histories) < cities.length)
    throw new Error(`at least ${cities.length} users, vehicles, rides and histories are required`);
  if (options.database === undefined) await client.query('CREATE DATABASE IF NOT EXISTS movr');
  if (!options.skipInit) {
    for (const [name] of [...TABLES].reverse()) await client.query(`DROP TABLE IF EXISTS ${db}.${name} CASCADE`);
    for (const [name, schema] of TABLES) await client.query(`CREATE TABLE ${db}.${name} ${schema}`);
  }
  const users = Array.from({ length: counts.users }, (_, i) => [
    randomUuid(next),
    cityOf(i, counts.users),
    `${pick(next, FIRST)} ${pick(next, LAST)}`,
    address(next),
    String(1e9 + Math.floor(next() * 9e9)),
  ]);
  const usersIn = (city: string): (string | number | null)[][] => users.filter((u) => u[1] === city);
  const vehicles = Array.from({ length: counts.vehicles }, (_, i) => {
    const city = cityOf(i, counts.vehicles);
    const type = pick(next, VEHICLE_TYPES);
    return [
      randomUuid(next),
      city,
      type,
      pick(next, usersIn(city))[0] ?? null,
      '2019-01-02 03:04:05',
      pick(next, STATUSES),
      address(next),
      JSON.stringify({ color: pick(next, ['red', 'yellow', 'blue', 'green', 'black']), brand: type === 'bike' ? 'Pinarello' : 'Merida' }),
    ];
  });
  const rides = Array.from({ length: counts.rides }, (_, i) => {
    const city = cityOf(i, counts.rides);
    const start = new Date(Date.UTC(2019, 0, 2, 3, 4, 5) - Math.floor(next() * 30) * 86_400_000);
    const end = new Date(start.getTime() + Math.floor(next() * 60) * 3_600_000);
    return [
      randomUuid(next),
      city,
      city,
      pick(next, usersIn(city))[0] ?? null,
      pick(
        next,
        vehicles.filter((v) => v[1] === city),
      )[0] ?? null,
      address(next),
      address(next),
      stamp(start),
      stamp(end),
      Math.floor(next() * 100),
    ];
  });
  const histories = Array.from({ length: counts.histories }, (_, i) => {
    const city = cityOf(i, counts.histories);
    return [
      city,
      pick(
        next,
        rides.filter((r) => r[1] === city),
      )[0] ?? '',
      stamp(new Date(Date.UTC(2019, 0, 2, 3, 4, 5) + i)),
      -90 + next() * 180,
      -180 + next() * 360,
    ];
  });
  const codes = new Set<string>();
  const promo: (string | number | null)[][] = [];
  while (promo.length < counts.promo) {
    const code = `${pick(next, WORDS)}_${pick(next, WORDS)}_${pick(next, WORDS)}_${promo.length}`;
    if (codes.has(code)) continue;
    codes.add(code);
    const expires = new Date(Date.UTC(2019, 0, 2, 3, 4, 5) + Math.floor(next() * 30) * 86_400_000);
    promo.push([
      code,
      `${pick(next, WORDS)} ${pick(next, WORDS)} ${pick(next, WORDS)}.`,
      stamp(new Date(expires.getTime() - Math.floor(next() * 30) * 86_400_000)),
      stamp(expires),
      '{"type": "percent_discount", "value": "10%"}',
    ]);
  }
  await insertRows(client, `${db}.users`, users);
  await insertRows(client, `${db}.vehicles`, vehicles);
  await insertRows(client, `${db}.rides`, rides);
  await insertRows(client, `${db}.vehicle_location_histories`, histories);
  await insertRows(client, `${db}.promo_codes`, promo);
  if (options.foreignKeys ?? true)
    for (const statement of FOREIGN_KEYS)
      await client.query(statement.replace(/ALTER TABLE (\w+)/, `ALTER TABLE ${db}.$1`).replace(/REFERENCES (\w+)/, `REFERENCES ${db}.$1`));
  return [
    ['users', users.length],
    ['vehicles', vehicles.length],
    ['rides', rides.length],
    ['vehicle_location_histories', histories.length],
    ['promo_codes', promo.length],
    ['user_promo_codes', 0],
  ];
}

function stamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** One movr operation: a read of a city's vehicles 90% of the time, else a new ride with a location update. */
export function movrOperation(seed: number): (client: SqlClient) => Promise<void> {
  const next = seededRandom(seed);
  return async (client) => {
    const city = pick(next, MOVR_CITIES);
    if (next() <= 0.9) {
      await client.query(`SELECT city, id FROM movr.vehicles WHERE city = ${literal(city)}`);
      return;
    }
    const rider = await client.query(`SELECT id FROM movr.users WHERE city = ${literal(city)} ORDER BY id LIMIT 1`);
    const vehicle = await client.query(`SELECT id FROM movr.vehicles WHERE city = ${literal(city)} ORDER BY id LIMIT 1`);
    const riderId = rider.rows[0]?.id;
    const vehicleId = vehicle.rows[0]?.id;
    const rideId = randomUuid(next);
    await client.query(
      `INSERT INTO movr.rides (id, city, vehicle_city, rider_id, vehicle_id, start_address, start_time) VALUES ('${rideId}', ${literal(city)}, ${literal(city)}, ${typeof riderId === 'string' ? literal(riderId) : 'NULL'}, ${typeof vehicleId === 'string' ? literal(vehicleId) : 'NULL'}, ${literal(address(next))}, now())`,
    );
    await client.query(
      `UPSERT INTO movr.vehicle_location_histories VALUES (${literal(city)}, '${rideId}', now(), ${(-90 + next() * 180).toFixed(6)}, ${(-180 + next() * 360).toFixed(6)})`,
    );
  };
}
