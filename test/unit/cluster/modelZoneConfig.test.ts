// Zone configs CockroachDB synthesizes for multi-region databases (crdb-facts.md's placement table,
// pkg/sql/regions/region_util.go), their SHOW ZONE CONFIGURATION text and CONFIGURE ZONE overrides.
import * as assert from 'node:assert/strict';
import {
  databaseZoneConfig,
  defaultZoneConfig,
  partitionZoneConfig,
  tableZoneConfig,
  type DatabaseRegions,
} from '../../../cluster/src/model/zoneConfig';
import { rawConfigSql, withOverrides } from '../../../cluster/src/model/zoneConfigSql';

const FIVE = ['us-east1', 'us-west1', 'europe-west1', 'asia-east1', 'us-central1'];

function db(regions: string[], survival: 'zone' | 'region', extra: Partial<DatabaseRegions> = {}): DatabaseRegions {
  return { name: 'movr', regions, primaryRegion: regions[0], survival, ...extra };
}

describe('cluster model: zone configs', () => {
  it('defaults to 3 replicas, 128 MiB / 512 MiB ranges and a 4 hour GC TTL', () => {
    const z = defaultZoneConfig();
    assert.equal(z.numReplicas, 3);
    assert.equal(z.numVoters, undefined);
    assert.equal(z.rangeMinBytes, 134217728);
    assert.equal(z.rangeMaxBytes, 536870912);
    assert.equal(z.gcTtlSeconds, 14400);
    assert.deepEqual(z.constraints, []);
    assert.deepEqual(z.leasePreferences, []);
  });

  it('leaves a database without regions on the default config', () => {
    const plain = db([], 'zone');
    assert.deepEqual(databaseZoneConfig(plain), defaultZoneConfig());
    assert.deepEqual(tableZoneConfig(plain, { kind: 'global' }), defaultZoneConfig());
  });

  const table: [number, 'zone' | 'region', number, number][] = [
    [1, 'zone', 3, 3],
    [3, 'zone', 5, 3],
    [3, 'region', 5, 5],
    [5, 'zone', 7, 3],
    [5, 'region', 6, 5],
  ];
  for (const [r, goal, replicas, voters] of table) {
    it(`${r} region(s), SURVIVE ${goal.toUpperCase()} FAILURE: num_replicas ${replicas}, num_voters ${voters}`, () => {
      const regions = FIVE.slice(0, r);
      const z = databaseZoneConfig(db(regions, goal));
      assert.equal(z.numReplicas, replicas);
      assert.equal(z.numVoters, voters);
      assert.deepEqual(z.constraints, Object.fromEntries(regions.map((x) => [`+region=${x}`, 1])));
      assert.deepEqual(z.voterConstraints, goal === 'zone' ? ['+region=us-east1'] : { '+region=us-east1': 2 });
      assert.deepEqual(z.leasePreferences, [['+region=us-east1']]);
    });
  }

  it('adds a replica, voters and a lease preference for a secondary region', () => {
    const z = databaseZoneConfig(db(FIVE, 'region', { secondaryRegion: 'us-west1' }));
    assert.equal(z.numReplicas, 7);
    assert.equal(z.numVoters, 5);
    assert.deepEqual(z.voterConstraints, { '+region=us-east1': 2, '+region=us-west1': 2 });
    assert.deepEqual(z.leasePreferences, [['+region=us-east1'], ['+region=us-west1']]);
    const zoneGoal = databaseZoneConfig(db(FIVE.slice(0, 3), 'zone', { secondaryRegion: 'us-west1' }));
    assert.equal(zoneGoal.numReplicas, 5);
    assert.deepEqual(zoneGoal.voterConstraints, ['+region=us-east1']);
    assert.deepEqual(zoneGoal.leasePreferences, [['+region=us-east1'], ['+region=us-west1']]);
  });

  for (const goal of ['zone', 'region'] as const) {
    const d = db(FIVE.slice(0, 3), goal);
    const dbZone = databaseZoneConfig(d);
    it(`${goal} survival: REGIONAL BY ROW tables keep the database config, and so do primary-region tables under zone survival`, () => {
      assert.deepEqual(tableZoneConfig(d, { kind: 'regional-by-row' }), dbZone);
      if (goal === 'zone') {
        assert.deepEqual(tableZoneConfig(d, { kind: 'regional-by-table' }), dbZone);
        assert.deepEqual(tableZoneConfig(d, { kind: 'regional-by-table', region: 'us-east1' }), dbZone);
      } else {
        // Region survival: all replicas constrained to the database's regions, the extra ones in the home region, then in the first others.
        const z = tableZoneConfig(d, { kind: 'regional-by-table' });
        assert.deepEqual(z.constraints, { '+region=europe-west1': 2, '+region=us-east1': 2, '+region=us-west1': 1 });
        assert.deepEqual(z.voterConstraints, dbZone.voterConstraints);
        assert.deepEqual(tableZoneConfig(d, { kind: 'regional-by-table', region: 'us-east1' }), z);
      }
    });

    it(`${goal} survival: REGIONAL BY TABLE IN another region and a REGIONAL BY ROW partition home voters and lease there`, () => {
      for (const z of [tableZoneConfig(d, { kind: 'regional-by-table', region: 'us-west1' }), partitionZoneConfig(d, 'us-west1')]) {
        assert.equal(z.numReplicas, dbZone.numReplicas);
        assert.equal(z.numVoters, dbZone.numVoters);
        assert.deepEqual(
          z.constraints,
          goal === 'zone' ? dbZone.constraints : { '+region=europe-west1': 2, '+region=us-east1': 1, '+region=us-west1': 2 },
        );
        assert.deepEqual(z.voterConstraints, goal === 'zone' ? ['+region=us-west1'] : { '+region=us-west1': 2 });
        assert.deepEqual(z.leasePreferences, [['+region=us-west1']]);
      }
    });

    it(`${goal} survival: GLOBAL is the database config plus global_reads`, () => {
      assert.deepEqual(tableZoneConfig(d, { kind: 'global' }), { ...dbZone, globalReads: true });
    });
  }

  it('prints raw_config_sql the way SHOW ZONE CONFIGURATION does (docs: show-zone-configurations)', () => {
    assert.equal(
      rawConfigSql('DATABASE movr', databaseZoneConfig(db(['us-east1', 'us-west1', 'europe-west1'], 'zone'))),
      'ALTER DATABASE movr CONFIGURE ZONE USING\n' +
        '\trange_min_bytes = 134217728,\n' +
        '\trange_max_bytes = 536870912,\n' +
        '\tgc.ttlseconds = 14400,\n' +
        '\tnum_replicas = 5,\n' +
        '\tnum_voters = 3,\n' +
        "\tconstraints = '{+region=europe-west1: 1, +region=us-east1: 1, +region=us-west1: 1}',\n" +
        "\tvoter_constraints = '[+region=us-east1]',\n" +
        "\tlease_preferences = '[[+region=us-east1]]'",
    );
    assert.equal(
      rawConfigSql('RANGE default', defaultZoneConfig()),
      'ALTER RANGE default CONFIGURE ZONE USING\n' +
        '\trange_min_bytes = 134217728,\n' +
        '\trange_max_bytes = 536870912,\n' +
        '\tgc.ttlseconds = 14400,\n' +
        '\tnum_replicas = 3,\n' +
        "\tconstraints = '[]',\n" +
        "\tlease_preferences = '[]'",
    );
  });

  it('prints global_reads after gc.ttlseconds for a GLOBAL table (CockroachDB multiregion test expectation)', () => {
    const d = db(['us-east1', 'us-east2', 'us-east3'], 'zone');
    assert.equal(
      rawConfigSql('TABLE db.public.global', tableZoneConfig(d, { kind: 'global' })),
      'ALTER TABLE db.public.global CONFIGURE ZONE USING\n' +
        '\trange_min_bytes = 134217728,\n' +
        '\trange_max_bytes = 536870912,\n' +
        '\tgc.ttlseconds = 14400,\n' +
        '\tglobal_reads = true,\n' +
        '\tnum_replicas = 5,\n' +
        '\tnum_voters = 3,\n' +
        "\tconstraints = '{+region=us-east1: 1, +region=us-east2: 1, +region=us-east3: 1}',\n" +
        "\tvoter_constraints = '[+region=us-east1]',\n" +
        "\tlease_preferences = '[[+region=us-east1]]'",
    );
  });

  it('prints only what an object sets itself for SHOW ALL ZONE CONFIGURATIONS (CockroachDB multiregion test expectation)', () => {
    const d = db(['us-east1', 'us-east2', 'us-east3'], 'zone');
    assert.equal(
      rawConfigSql('PARTITION "us-east1" OF INDEX system.public.lease@primary', partitionZoneConfig(d, 'us-east1'), {
        only: ['num_voters', 'voter_constraints', 'lease_preferences'],
      }),
      'ALTER PARTITION "us-east1" OF INDEX system.public.lease@primary CONFIGURE ZONE USING\n' +
        '\tnum_voters = 3,\n' +
        "\tvoter_constraints = '[+region=us-east1]',\n" +
        "\tlease_preferences = '[[+region=us-east1]]'",
    );
  });

  it('prints per-count voter constraints and quotes constraint conjunctions as YAML needs', () => {
    const sql = rawConfigSql('DATABASE movr', databaseZoneConfig(db(FIVE.slice(0, 3), 'region')));
    assert.match(sql, /\tvoter_constraints = '\{\+region=us-east1: 2\}',\n/);
    const conj = withOverrides(defaultZoneConfig(), new Map([['constraints', `'{"+region=us-east1,+az=b": 2}'`]]));
    assert.match(rawConfigSql('TABLE t', conj), /\tconstraints = '\{''\+region=us-east1,\+az=b'': 2\}',\n/);
  });

  it('breaks YAML flow text past 80 columns as yaml.v2 does', () => {
    const sql = rawConfigSql('DATABASE movr', databaseZoneConfig(db(FIVE, 'zone')));
    const line = /constraints = '([^']*)'/.exec(sql)?.[1] ?? '';
    assert.ok(line.includes(',\n  +region='), line);
    for (const part of line.split('\n')) assert.ok(part.length <= 80 + 30, part);
  });

  it('applies CONFIGURE ZONE USING variables as written in SQL', () => {
    const z = withOverrides(
      defaultZoneConfig(),
      new Map([
        ['num_replicas', '5'],
        ['num_voters', '3'],
        ['constraints', `'{"+region=us-east1": 1, "+region=us-west1": 1}'`],
        ['voter_constraints', "'[+region=us-east1]'"],
        ['lease_preferences', "'[[+region=us-east1], [+region=us-west1]]'"],
        ['gc.ttlseconds', '600'],
        ['range_max_bytes', '1073741824'],
        ['global_reads', 'true'],
      ]),
    );
    assert.equal(z.numReplicas, 5);
    assert.equal(z.numVoters, 3);
    assert.deepEqual(z.constraints, { '+region=us-east1': 1, '+region=us-west1': 1 });
    assert.deepEqual(z.voterConstraints, ['+region=us-east1']);
    assert.deepEqual(z.leasePreferences, [['+region=us-east1'], ['+region=us-west1']]);
    assert.equal(z.gcTtlSeconds, 600);
    assert.equal(z.rangeMaxBytes, 1073741824);
    assert.equal(z.globalReads, true);
    assert.match(rawConfigSql('TABLE t', z), /lease_preferences = '\[\[\+region=us-east1\], \[\+region=us-west1\]\]'$/);
    // COPY FROM PARENT keeps what is inherited.
    assert.equal(withOverrides(z, new Map([['num_replicas', 'COPY FROM PARENT']])).numReplicas, 5);
  });

  it('rejects what CockroachDB rejects', () => {
    assert.throws(() => withOverrides(defaultZoneConfig(), new Map([['num_replica', '3']])), /unsupported zone config parameter/);
    assert.throws(() => withOverrides(defaultZoneConfig(), new Map([['constraints', "'[region=a]'"]])), /prefixed/);
    assert.throws(() => withOverrides(defaultZoneConfig(), new Map([['range_min_bytes', '536870912']])), /greater than or equal/);
    assert.throws(() => withOverrides(defaultZoneConfig(), new Map([['num_replicas', "'many'"]])), /could not parse/);
  });
});
