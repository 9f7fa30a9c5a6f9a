// The topology adapter's pure readers: PostgreSQL array text, locality strings, SHOW TABLES'
// locality column, SHOW RANGES' pretty keys and the partitions they show, and the liveness rule.
import * as assert from 'node:assert/strict';
import { isStatementError, reasonOf } from '../../../runner/src/topology/failure';
import { nodeLiveness, STALE_LIVENESS_MS } from '../../../runner/src/topology/liveness';
import {
  parseBool,
  parseIntArray,
  parseKey,
  parseLocalityText,
  parseTextArray,
  parseTimestamp,
  partitionOfKey,
  partitionsOfRanges,
  records,
} from '../../../runner/src/topology/parse';
import { parseNodeLocality } from '../../../sql/src/locality';
import { quoteIdent } from '../../../sql/src/names';

const REGIONS = ['europe-west1', 'us-east1', 'us-west1'];

describe('runner: topology parsing', () => {
  it('reads PostgreSQL array text', () => {
    assert.deepEqual(parseTextArray('{}'), []);
    assert.deepEqual(parseTextArray(null), []);
    assert.deepEqual(parseTextArray('{b,c,d}'), ['b', 'c', 'd']);
    assert.deepEqual(parseTextArray('{"region=us-east1,az=b","region=us-west1,az=a"}'), ['region=us-east1,az=b', 'region=us-west1,az=a']);
    assert.deepEqual(parseTextArray('{"say \\"hi\\"","back\\\\slash",plain,NULL,"NULL"}'), ['say "hi"', 'back\\slash', 'plain', 'NULL']);
    assert.deepEqual(parseTextArray('{""}'), ['']);
    assert.deepEqual(parseIntArray('{2,9,4}'), [2, 9, 4]);
    assert.deepEqual(parseIntArray('not an array'), []);
  });

  it('reads booleans, timestamps and rows by column name', () => {
    assert.equal(parseBool('t'), true);
    assert.equal(parseBool('false'), false);
    assert.equal(parseBool(null), undefined);
    assert.equal(parseTimestamp('2025-05-01 20:05:43.85563'), Date.UTC(2025, 4, 1, 20, 5, 43, 855.63));
    assert.equal(parseTimestamp('2025-05-01 20:05:43+00'), Date.UTC(2025, 4, 1, 20, 5, 43));
    assert.equal(parseTimestamp('soon'), undefined);
    assert.deepEqual(records({ columns: ['a', 'b'], rows: [['1', null]] }), [{ a: '1', b: null }]);
  });

  it('reads locality strings with az= or zone= tiers', () => {
    assert.deepEqual(parseNodeLocality('region=us-east1,az=b'), { region: 'us-east1', zone: 'b' });
    assert.deepEqual(parseNodeLocality('cloud=gce,region=us-east1,zone=us-east1-b'), { region: 'us-east1', zone: 'us-east1-b' });
    assert.deepEqual(parseNodeLocality('region=eu'), { region: 'eu', zone: '' });
    assert.deepEqual(parseNodeLocality(''), { region: '', zone: '' });
    assert.deepEqual(parseNodeLocality(null), { region: '', zone: '' });
  });

  it("reads SHOW TABLES' locality column", () => {
    assert.deepEqual(parseLocalityText('GLOBAL', 'us-east1'), { locality: 'global' });
    assert.deepEqual(parseLocalityText('REGIONAL BY ROW', 'us-east1'), { locality: 'regional-by-row', regionColumn: 'crdb_region' });
    assert.deepEqual(parseLocalityText('REGIONAL BY ROW AS region_col', 'us-east1'), {
      locality: 'regional-by-row',
      regionColumn: 'region_col',
    });
    assert.deepEqual(parseLocalityText('REGIONAL BY ROW AS "Where"', 'us-east1'), { locality: 'regional-by-row', regionColumn: 'Where' });
    assert.deepEqual(parseLocalityText('REGIONAL BY TABLE IN PRIMARY REGION', 'us-east1'), {
      locality: 'regional-by-table',
      homeRegion: 'us-east1',
    });
    assert.deepEqual(parseLocalityText('REGIONAL BY TABLE IN "us-west1"', 'us-east1'), {
      locality: 'regional-by-table',
      homeRegion: 'us-west1',
    });
    assert.deepEqual(parseLocalityText('REGIONAL BY TABLE IN useast', 'us-east1'), { locality: 'regional-by-table', homeRegion: 'useast' });
    assert.deepEqual(parseLocalityText(null, undefined), {});
    assert.deepEqual(parseLocalityText('SOMETHING NEW', 'us-east1'), {});
  });

  it("reads SHOW RANGES' keys, relative and whole", () => {
    assert.deepEqual(parseKey('…/<TableMin>'), { kind: 'table-start' });
    assert.deepEqual(parseKey('…/<TableMax>'), { kind: 'table-end' });
    assert.deepEqual(parseKey('<before:/Table/72>'), { kind: 'outside' });
    assert.deepEqual(parseKey('<after:/Table/107/1/"amsterdam">'), { kind: 'outside' });
    assert.deepEqual(parseKey('…/1/"us-east1"/5'), { kind: 'index', indexId: 1, values: ['"us-east1"', '5'] });
    assert.deepEqual(parseKey('/Table/106/1/"a/b"'), { kind: 'index', indexId: 1, values: ['"a/b"'] });
    assert.deepEqual(parseKey('/Table/106'), { kind: 'table-start' });
    assert.deepEqual(parseKey('…/1/"washington dc"/PrefixEnd'), { kind: 'index', indexId: 1, values: ['"washington dc"', 'PrefixEnd'] });
  });

  it('finds the region partition a key starts in', () => {
    assert.equal(partitionOfKey('…/1/"us-west1"', REGIONS), 'us-west1');
    assert.equal(partitionOfKey('…/2/"europe-west1"/"x"/3', REGIONS), 'europe-west1');
    assert.equal(partitionOfKey('/Table/106/1/"us-east1"', REGIONS), 'us-east1');
    assert.equal(partitionOfKey('…/1/"us-east1"/PrefixEnd', REGIONS), undefined);
    assert.equal(partitionOfKey('…/1/"amsterdam"', REGIONS), undefined);
    // A real cluster prints the region enum's bytes.
    assert.equal(partitionOfKey('…/1/"\\x80"/5', REGIONS), undefined);
    assert.equal(partitionOfKey('…/<TableMin>', REGIONS), undefined);
  });

  it("gives the table's first range the one partition no other range starts in", () => {
    // The simulated cluster's layout, listed in key-string order (not partition order).
    const ranges = [
      { startKey: '…/<TableMin>', endKey: '…/1/"us-west1"' },
      { startKey: '…/1/"europe-west1"', endKey: '…/<TableMax>' },
      { startKey: '…/1/"us-west1"', endKey: '…/1/"europe-west1"' },
    ];
    assert.deepEqual(partitionsOfRanges(ranges, REGIONS), ['us-east1', 'europe-west1', 'us-west1']);
    // Ending inside a partition: that partition's first rows.
    assert.deepEqual(
      partitionsOfRanges(
        [
          { startKey: '…/<TableMin>', endKey: '…/1/"us-east1"/40' },
          { startKey: '…/1/"us-east1"/40', endKey: '…/<TableMax>' },
        ],
        REGIONS,
      ),
      ['us-east1', 'us-east1'],
    );
    // Two regions unaccounted for: no guess.
    assert.deepEqual(
      partitionsOfRanges(
        [
          { startKey: '…/<TableMin>', endKey: '…/1/"us-west1"' },
          { startKey: '…/1/"us-west1"', endKey: '…/<TableMax>' },
        ],
        REGIONS,
      ),
      [undefined, 'us-west1'],
    );
    assert.deepEqual(partitionsOfRanges([{ startKey: '…/<TableMin>', endKey: '…/<TableMax>' }], REGIONS), [undefined]);
  });

  it('quotes identifiers', () => {
    assert.equal(quoteIdent('movr'), 'movr');
    assert.equal(quoteIdent('my "t"'), '"my ""t"""');
  });
});

describe('runner: topology liveness and failures', () => {
  it('orders membership, gossip liveness, draining and staleness', () => {
    assert.equal(nodeLiveness({ isLive: true }), 'live');
    assert.equal(nodeLiveness({ isLive: false }), 'dead');
    assert.equal(nodeLiveness({ isLive: true, membership: 'decommissioned' }), 'decommissioned');
    assert.equal(nodeLiveness({ isLive: false, membership: 'decommissioning' }), 'decommissioning');
    assert.equal(nodeLiveness({ isLive: true, decommissioning: true }), 'decommissioning');
    assert.equal(nodeLiveness({ isLive: true, membership: 'active', decommissioning: true }), 'live');
    assert.equal(nodeLiveness({ isLive: true, membership: 'active', draining: true }), 'suspect');
    assert.equal(nodeLiveness({ isLive: false, membership: 'active', draining: true }), 'dead');
    const now = Date.UTC(2025, 0, 1);
    assert.equal(nodeLiveness({ isLive: true, updatedAt: now - STALE_LIVENESS_MS - 1, freshestUpdatedAt: now }), 'suspect');
    assert.equal(nodeLiveness({ isLive: true, updatedAt: now - 5000, freshestUpdatedAt: now }), 'live');
  });

  it('tells a refused statement from a lost connection, and says why in words', () => {
    const error = (code: string | undefined, message: string): Error =>
      Object.assign(new Error(message), code === undefined ? {} : { code });
    assert.equal(isStatementError(error('42501', 'denied')), true);
    assert.equal(isStatementError(error('0A000', 'x')), true);
    assert.equal(isStatementError(error('08006', 'gone')), false);
    assert.equal(isStatementError(error('57P01', 'shutting down')), false);
    assert.equal(isStatementError(error(undefined, 'Connection terminated')), false);
    assert.equal(isStatementError(Object.assign(new Error('x'), { code: 'ECONNRESET' })), false);
    assert.equal(
      reasonOf(error('42501', 'only users with the admin role…'), 'needs the admin role'),
      'permission denied — needs the admin role',
    );
    assert.equal(
      reasonOf(error('0A000', 'SHOW RANGES is not supported by the simulated cluster')),
      'not supported by the simulated cluster',
    );
    assert.match(
      reasonOf(error('42P01', 'relation "crdb_internal.gossip_liveness" does not exist')),
      /^not available on this CockroachDB version/,
    );
    assert.equal(reasonOf(error('XXUUU', 'replica unavailable')), 'replica unavailable (SQLSTATE XXUUU)');
  });
});
