// The workloads a lesson's shell runs: `cockroach workload init|run ycsb` (the usertable schema,
// the key hashing, the initial rows, each --workload mix changing the table as it says) and the
// MovR application's docker image (`docker run cockroachdb/movr … load|run`) against the
// simulated cluster.
import * as assert from 'node:assert/strict';
import { Simulator } from '../../../cluster/src/simulator';
import type { Session } from '../../../cluster/src/sql/session';
import { hashKey, keyName, splitKeys, usertableSchema, ycsbConfig, YcsbRun, ZipfGenerator } from '../../../cluster/src/workload/ycsb';
import { ycsbFlags } from '../../../cluster/src/workload/ycsbFlags';
import { seededRandom } from '../../../cluster/src/workload/movr';

describe('ycsb workload: configuration and keys', () => {
  it('hashes the row index as FNV-1 64 of its varint in a 10-byte buffer, and names keys user<hash>', () => {
    // FNV-1 of ten zero bytes: the offset basis multiplied by the prime ten times (mod 2^64).
    let expected = 14695981039346656037n;
    for (let i = 0; i < 10; i++) expected = (expected * 1099511628211n) & ((1n << 64n) - 1n);
    assert.equal(hashKey(0n), expected);
    assert.equal(keyName(0, { insertHash: true, zeroPadding: 1 }), `user${expected}`);
    assert.notEqual(hashKey(1n), hashKey(128n));
    assert.equal(keyName(7, { insertHash: false, zeroPadding: 3 }), 'user007');
    const keys = new Set(Array.from({ length: 1000 }, (_, i) => keyName(i, { insertHash: true, zeroPadding: 1 })));
    assert.equal(keys.size, 1000);
  });

  it('splits the 64-bit key space evenly', () => {
    assert.deepEqual(splitKeys(1), [`user${((1n << 64n) - 1n) / 2n}`]);
    assert.equal(splitKeys(50).length, 50);
  });

  it('reads the workload letters, families defaults and custom frequencies as workload validates them', () => {
    const b = ycsbConfig();
    assert.ok(typeof b !== 'string');
    assert.deepEqual(
      [b.workload, b.mix.read, b.mix.update, b.distribution, b.families, b.insertCount],
      ['B', 0.95, 0.05, 'zipfian', true, 10000],
    );
    const d = ycsbFlags(['--workload=d']);
    assert.ok(typeof d !== 'string');
    assert.deepEqual([d.workload, d.mix.read, d.mix.insert, d.distribution, d.families], ['D', 0.95, 0.05, 'latest', false]);
    const e = ycsbFlags(['--workload', 'E', '--families=true', '--insert-count=20', 'postgresql://root@localhost:26257']);
    assert.ok(typeof e !== 'string');
    assert.deepEqual([e.mix.scan, e.mix.insert, e.families, e.insertCount, e.recordCount], [0.95, 0.05, true, 20, 20]);
    assert.equal(ycsbFlags(['--workload=G']), 'Unknown workload: "G"');
    assert.equal(ycsbFlags(['--workload=A', '--read-freq=0.5']), 'Custom workload frequencies set with non-custom workload');
    assert.equal(ycsbFlags(['--workload=custom', '--read-freq=0.5']), 'Custom workload frequencies do not sum to 1.0');
    const custom = ycsbFlags(['--workload=custom', '--read-freq=0.5', '--delete-freq=0.5']);
    assert.ok(typeof custom !== 'string');
    assert.deepEqual([custom.mix.read, custom.mix.delete], [0.5, 0.5]);
    assert.equal(ycsbFlags(['--insert-start=5', '--record-count=7']), 'insertStart + insertCount (10005) must be <= recordCount (7)');
    assert.match(ycsbFlags(['--families=maybe']) as string, /invalid argument "maybe" for "--families" flag/);
  });

  it('writes the usertable schema: ten NOT NULL text fields, one family each when --families', () => {
    const withFamilies = usertableSchema({ json: false, families: true });
    assert.match(
      withFamilies,
      /^\(ycsb_key VARCHAR\(255\) PRIMARY KEY NOT NULL, FIELD0 TEXT NOT NULL, .* FIELD9 TEXT NOT NULL, FAMILY \(ycsb_key\), FAMILY \(FIELD0\), .* FAMILY \(FIELD9\)\)$/,
    );
    assert.doesNotMatch(usertableSchema({ json: false, families: false }), /FAMILY/);
    assert.equal(usertableSchema({ json: true, families: true }), '(ycsb_key VARCHAR(255) PRIMARY KEY NOT NULL, FIELD JSONB)');
  });

  it('draws zipfian indexes skewed towards the first rows', () => {
    const zipf = new ZipfGenerator(seededRandom(3), 1000);
    const draws = Array.from({ length: 2000 }, () => zipf.draw());
    assert.ok(draws.every((d) => d >= 0 && d < 1000));
    const low = draws.filter((d) => d < 100).length;
    assert.ok(low > draws.length / 2, `${low} of ${draws.length} draws in the first 10% of rows`);
  });

  it('chooses operations in the proportions of the mix', () => {
    const config = ycsbConfig({ workload: 'A' });
    assert.ok(typeof config !== 'string');
    const run = new YcsbRun(config);
    const ops = Array.from({ length: 2000 }, () => run.chooseOp());
    const updates = ops.filter((o) => o === 'update').length;
    assert.ok(updates > 800 && updates < 1200, `${updates} updates of 2000`);
    assert.deepEqual([...new Set(ops)].sort(), ['read', 'update']);
  });
});

describe('workloads in the lab on the simulated cluster', function () {
  this.timeout(300_000);
  let simulator: Simulator;
  let session: Session;

  async function shell(command: string): Promise<{ output: string; tag: string; error?: string }> {
    const [result] = await session.execute(`\\! ${command}`);
    assert.ok(result);
    return {
      output: result.rows.map((r) => r[0] ?? '').join('\n'),
      tag: result.tag,
      ...(result.error ? { error: result.error.message } : {}),
    };
  }

  async function value(sql: string): Promise<unknown> {
    const [result] = await session.execute(sql);
    assert.equal(result?.error, undefined, result?.error?.message);
    return result?.rows[0]?.[0];
  }

  before(async () => {
    simulator = await Simulator.start({ global: true });
    session = simulator.openSession();
  });
  after(async () => {
    await simulator.close();
  });

  const url = "'postgresql://root@localhost:26257?sslmode=disable'";

  it('ycsb init loads 10000 rows keyed user<hash> into ycsb.usertable', async () => {
    const init = await shell(`cockroach workload init ycsb --splits=3 ${url}`);
    assert.equal(init.error, undefined);
    assert.equal(init.output.split('\n')[0], 'imported usertable (0s, 10000 rows)');
    assert.equal(await value('SELECT count(*) FROM ycsb.public.usertable'), '10000');
    assert.equal(
      await value(`SELECT count(*) FROM ycsb.usertable WHERE ycsb_key = '${keyName(9999, { insertHash: true, zeroPadding: 1 })}'`),
      '1',
    );
    assert.equal(await value('SELECT min(length(field0)) FROM ycsb.usertable'), '100');
    // The fields are NOT NULL, as workload creates them.
    const [insert] = await session.execute(
      "INSERT INTO ycsb.usertable VALUES ('asdf', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    );
    assert.match(insert?.error?.message ?? '', /null value in column "field0"/);
  });

  it('ycsb init --drop --insert-count replaces the table; workload D inserts new rows, C only reads', async () => {
    assert.equal(
      (await shell(`cockroach workload init ycsb --drop --insert-count=200 --families=false ${url}`)).output,
      'imported usertable (0s, 200 rows)',
    );
    assert.equal(await value('SELECT count(*) FROM ycsb.usertable'), '200');
    const d = await shell(`cockroach workload run ycsb --workload=D --insert-count=200 --max-ops=200 ${url}`);
    assert.equal(d.error, undefined, d.error);
    assert.match(d.output, / read$/m);
    assert.match(d.output, / insert$/m);
    const inserted = Number((/^\s+\S+\s+0\s+(\d+)\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+insert$/m.exec(d.output) ?? [])[1]);
    assert.ok(inserted > 0);
    assert.equal(await value('SELECT count(*) FROM ycsb.usertable'), String(200 + inserted));
    assert.match(d.output, /__result\n +\d+\.0s +0 +200 /);
    const before = await value('SELECT count(*) FROM ycsb.usertable');
    const c = await shell(`cockroach workload run ycsb --workload=C --insert-count=200 --max-ops=50 ${url}`);
    assert.match(c.output, /__total\n +\d+\.0s +0 +50 .* read$/m);
    assert.equal(await value('SELECT count(*) FROM ycsb.usertable'), before);
  });

  it('ycsb workload A updates fields of existing rows and never adds rows', async () => {
    await shell(`cockroach workload init ycsb --drop --insert-count=100 ${url}`);
    const fields =
      "SELECT string_agg(field0 || field1 || field2 || field3 || field4 || field5 || field6 || field7 || field8 || field9, '' ORDER BY ycsb_key) FROM ycsb.usertable";
    const before = await value(fields);
    const a = await shell(
      `cockroach workload run ycsb --workload=A --insert-count=100 --duration=2s --concurrency=3 --max-rate=1000 --tolerate-errors ${url}`,
    );
    assert.equal(a.error, undefined, a.error);
    assert.match(a.output, / update$/m);
    assert.equal(await value('SELECT count(*) FROM ycsb.usertable'), '100');
    assert.notEqual(await value(fields), before);
  });

  const movrImage = 'docker run -it --rm cockroachdb/movr:20.11.1 --app-name "movr-load"';
  const movrUrl = (port: number): string => `--url "postgres://root@docker.for.mac.localhost:${port}/movr?sslmode=disable"`;

  it('docker movr load needs the database, then loads each --city with ceil(N / cities) rows', async () => {
    const load = `${movrImage} ${movrUrl(26257)} --num-threads 1 load --num-users 10 --num-rides 10 --num-vehicles 4 --num-histories 20 --num-promo-codes 30 --city "boston" --city="new york"`;
    const missing = await shell(load);
    assert.match(missing.error ?? '', /database "movr" does not exist/);
    assert.equal(await value('CREATE DATABASE IF NOT EXISTS movr').catch(() => undefined), undefined);
    const loaded = await shell(load);
    assert.equal(loaded.error, undefined, loaded.error);
    const lines = loaded.output.split('\n');
    assert.deepEqual(lines.slice(0, 6), [
      '[INFO] (MainThread) connected to movr database @ postgres://root@docker.for.mac.localhost:26257/movr?sslmode=disable',
      '[INFO] (MainThread) Loading single region MovR',
      '[INFO] (MainThread) initializing tables',
      "[INFO] (MainThread) loading cities ['boston', 'new york']",
      '[INFO] (MainThread) loading movr data with ~10 users, ~4 vehicles, ~10 rides, ~20 histories, and ~30 promo codes',
      '[INFO] (Thread-1  ) Generating user data for boston...',
    ]);
    assert.ok(lines.includes('[INFO] (Thread-1  ) Generating 30 promo codes...'));
    assert.match(lines.at(-1) ?? '', /^\[INFO\] \(MainThread\) populated 2 cities in \d+\.\d{6} seconds$/);
    const perCity = async (table: string): Promise<unknown> =>
      value(
        `SELECT string_agg(city || ':' || n::STRING, ',' ORDER BY city) FROM (SELECT city, count(*) AS n FROM movr.${table} GROUP BY city)`,
      );
    assert.equal(await perCity('users'), 'boston:5,new york:5');
    assert.equal(await perCity('vehicles'), 'boston:2,new york:2');
    assert.equal(await perCity('rides'), 'boston:5,new york:5');
    assert.equal(await perCity('vehicle_location_histories'), 'boston:10,new york:10');
    assert.equal(await value('SELECT count(*) FROM movr.promo_codes'), '30');
    assert.equal(await value('SELECT count(*) FROM movr.user_promo_codes'), '0');
    // Every ride's rider and vehicle are of its city.
    assert.equal(
      await value(
        'SELECT count(*) FROM movr.rides r JOIN movr.users u ON u.city = r.city AND u.id = r.rider_id JOIN movr.vehicles v ON v.city = r.vehicle_city AND v.id = r.vehicle_id',
      ),
      '10',
    );
  });

  it('docker movr load with more threads than cities, then run against another node', async () => {
    const load = await shell(
      `${movrImage} ${movrUrl(26257)} load --num-users 6 --num-rides 6 --num-vehicles 3 --num-histories 3 --num-promo-codes 10 --city paris --city rome --city amsterdam`,
    );
    assert.equal(load.error, undefined, load.error);
    assert.match(load.output, /Only using 3 of 5 requested threads, since we only create at most one thread per city/);
    assert.match(load.output, /\(Thread-3 {2}\) Generating 4 promo codes\.\.\./);
    assert.equal(await value('SELECT count(*) FROM movr.promo_codes'), '12');
    assert.equal(await value("SELECT count(*) FROM movr.users WHERE city = 'boston'"), '0');
    const rides = Number(await value('SELECT count(*) FROM movr.rides'));
    const run = await shell(
      `docker run -it --rm cockroachdb/movr:20.11.1 ${movrUrl(26258)} run --city="paris" --city="rome" --read-only-percentage=0`,
    );
    assert.equal(run.error, undefined, run.error);
    assert.deepEqual(run.output.split('\n').slice(1, 4), [
      "[INFO] (MainThread) simulating movr load for cities ['paris', 'rome']",
      '[INFO] (MainThread) warming up....',
      '[INFO] (MainThread) running single region queries...',
    ]);
    assert.ok(Number(await value('SELECT count(*) FROM movr.rides')) > rides);
    const empty = await shell(`docker run cockroachdb/movr ${movrUrl(26257)} run --city boston`);
    assert.equal(
      empty.error,
      "[ERROR] (MainThread) must have users and vehicles for city 'boston' in the movr database to generate load. try running with the 'load' command.",
    );
  });

  it('docker: cockroach images run the cockroach command; other commands are host steps', async () => {
    const count = await shell(
      'docker exec -it roach1 ./cockroach sql --insecure --host=localhost:26257 -e "SELECT count(*) FROM movr.users"',
    );
    assert.match(count.output, /count\n\s*-+\s*\n\s*6/);
    assert.equal((await shell('docker pull cockroachdb/movr')).output, 'host step: the image cockroachdb/movr is assumed pulled');
    assert.equal((await shell('docker run -d --name web -p 80:80 nginx')).tag, 'SHELL HOST');
    assert.equal((await shell('docker network create -d bridge roachnet')).tag, 'SHELL HOST');
    assert.match(
      (await shell('docker run -it --rm cockroachdb/movr --url "postgres://root@localhost:26257" load')).error ?? '',
      /needs to point to a database/,
    );
    assert.match((await shell('docker run -it cockroachdb/movr:20.11.1 frobnicate')).error ?? '', /invalid choice: 'frobnicate'/);
  });

  it('ycsb run stops at its first error unless --tolerate-errors', async () => {
    await shell(`cockroach workload init ycsb --drop --insert-count=10 ${url}`);
    // Rows past --insert-count exist already: workload D's inserts of those keys fail.
    await shell(`cockroach workload run ycsb --workload=D --insert-count=5 --record-count=5 --max-ops=100 --tolerate-errors ${url}`);
    const strict = await shell(`cockroach workload run ycsb --workload=D --insert-count=5 --record-count=5 --max-ops=100 ${url}`);
    assert.match(strict.error ?? '', /^Error: duplicate key value/);
    const tolerant = await shell(
      `cockroach workload run ycsb --workload=D --insert-count=5 --record-count=5 --max-ops=100 --tolerate-errors ${url}`,
    );
    assert.equal(tolerant.error, undefined);
    // The failed inserts are counted as errors and the run goes on to its 100 operations.
    const [, errors, ops] = /__total\n +\d+\.0s +(\d+) +(\d+) /.exec(tolerant.output) ?? [];
    assert.ok(Number(errors) > 0);
    assert.equal(Number(errors) + Number(ops), 100);
  });

  it('refuses workloads it does not generate, and bad ycsb flags with workload errors', async () => {
    const tpcc = await shell(`cockroach workload init tpcc ${url}`);
    assert.equal(tpcc.tag, 'SHELL NOT SIMULATED');
    assert.match(tpcc.output, /tpcc: the lab generates the bank, kv, movr, ycsb workloads only/);
    assert.equal((await shell(`cockroach workload run ycsb --workload=Z ${url}`)).error, 'Error: Unknown workload: "Z"');
  });

  it('docker run cockroachdb/cockroach start: each container keeps its own default store', async () => {
    // Last: nodes the lab starts itself take over from the simulator's own.
    const started: (string | undefined)[] = [];
    for (const n of [1, 2]) {
      const run = await shell(
        `docker run -d --name=roach${n} --hostname=roach${n} --net=roachnet -p ${26300 + n}:${26300 + n} cockroachdb/cockroach:v25.2.0 start --insecure --listen-addr=roach${n}:26357 --sql-addr=roach${n}:${26300 + n} --http-addr=roach${n}:${8100 + n} --join=roach1:26357,roach2:26357`,
      );
      started.push(run.error);
    }
    assert.deepEqual(started, [undefined, undefined]);
    const ps = await shell('ps -ef | grep cockroach');
    assert.deepEqual(
      ps.output.split('\n').map((line) => / --store=(\S+)$/.exec(line)?.[1]),
      ['containers/roach1/cockroach-data', 'containers/roach2/cockroach-data'],
    );
  });
});
