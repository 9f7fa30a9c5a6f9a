// The simulated clock and seeded randomness the cluster model runs on, and demo's topology.
import * as assert from 'node:assert/strict';
import { Rng, SimClock } from '../../../cluster/src/model/clock';
import { demoLocalities, rttMs, SAME_REGION_RTT_MS, UNKNOWN_REGION_RTT_MS } from '../../../cluster/src/model/topology';
import { nodeLocalityText } from '../../../sql/src/locality';

describe('cluster model: clock and topology', () => {
  it('runs events in time order, ties in scheduling order, each seeing its own time', () => {
    const clock = new SimClock();
    const seen: string[] = [];
    clock.schedule(30, () => seen.push(`c@${clock.now()}`));
    clock.schedule(10, () => seen.push(`a@${clock.now()}`));
    clock.schedule(10, () => {
      seen.push(`b@${clock.now()}`);
      // Scheduled while advancing and still due: runs in the same advance.
      clock.schedule(20, () => seen.push(`d@${clock.now()}`));
    });
    const cancelled = clock.schedule(15, () => seen.push('never'));
    clock.cancel(cancelled);
    assert.equal(clock.nextEventAt(), 10);
    clock.advanceTo(25);
    assert.deepEqual(seen, ['a@10', 'b@10', 'd@20']);
    assert.equal(clock.now(), 25);
    assert.equal(clock.nextEventAt(), 30);
    clock.advanceBy(10);
    assert.deepEqual(seen, ['a@10', 'b@10', 'd@20', 'c@30']);
    assert.equal(clock.now(), 35);
    assert.equal(clock.nextEventAt(), undefined);
  });

  it('runs an event scheduled in the past at the next advance, never earlier than now', () => {
    const clock = new SimClock();
    clock.advanceTo(100);
    let at = -1;
    clock.schedule(50, () => (at = clock.now()));
    clock.advanceBy(0);
    assert.equal(at, 100);
  });

  it('draws the same numbers from the same seed, in [0, 1)', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xs = Array.from({ length: 1000 }, () => a.next());
    assert.deepEqual(
      xs,
      Array.from({ length: 1000 }, () => b.next()),
    );
    assert.notDeepEqual(
      xs.slice(0, 10),
      Array.from({ length: 10 }, () => c.next()),
    );
    for (const x of xs) assert.ok(x >= 0 && x < 1);
    const ints = new Set(Array.from({ length: 500 }, () => a.int(5)));
    assert.deepEqual([...ints].sort(), [0, 1, 2, 3, 4]);
  });

  it('gives demo --global its 9 nodes: 3 per region, zones as demo names them', () => {
    const locs = demoLocalities({ global: true });
    assert.equal(locs.length, 9);
    assert.deepEqual(
      locs.map((l) => `${l.region}/${l.zone}`),
      [
        'us-east1/b',
        'us-east1/c',
        'us-east1/d',
        'us-west1/a',
        'us-west1/b',
        'us-west1/c',
        'europe-west1/b',
        'europe-west1/c',
        'europe-west1/d',
      ],
    );
    assert.equal(nodeLocalityText(locs[0] ?? { region: '', zone: '' }), 'region=us-east1,az=b');
  });

  it('defaults demo to 1 node and fills localities in demo order (not round-robin)', () => {
    assert.equal(demoLocalities({}).length, 1);
    assert.deepEqual(
      demoLocalities({ nodes: 3 }).map((l) => l.region),
      ['us-east1', 'us-east1', 'us-east1'],
    );
    const twelve = demoLocalities({ nodes: 12 });
    assert.equal(twelve.length, 12);
    assert.deepEqual(twelve[9], { region: 'us-east1', zone: 'b' });
  });

  it("uses demo's round trips between regions", () => {
    assert.equal(rttMs('us-east1', 'us-west1'), 66);
    assert.equal(rttMs('us-west1', 'us-east1'), 66);
    assert.equal(rttMs('us-east1', 'europe-west1'), 64);
    assert.equal(rttMs('europe-west1', 'us-west1'), 146);
    assert.equal(rttMs('us-east1', 'us-east1'), SAME_REGION_RTT_MS);
    assert.equal(rttMs('mars-north1', 'us-east1'), UNKNOWN_REGION_RTT_MS);
  });
});
