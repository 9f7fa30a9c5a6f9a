// HAProxy in a lab: the haproxy.cfg `cockroach gen haproxy` writes (pkg/cli/haproxy.go's rules),
// haproxy.cfg read back into listeners with HAProxy's errors, round robin over the servers the
// health checks find up, and the lab's connections moving off a node that dies.
import * as assert from 'node:assert/strict';
import {
  generateHaproxyConfig,
  parseHaproxyConfig,
  type HaproxyListener,
  type HaproxyNode,
  type HaproxyServer,
} from '../../../cluster/src/lab/haproxy';
import type { LabRun } from '../../../cluster/src/lab/lab';
import { runLesson } from '../../../cluster/src/lesson';
import { LoadBalancer, type CheckResult } from '../../../cluster/src/lab/loadBalancer';
import { Simulator } from '../../../cluster/src/simulator';

function node(nodeId: number, liveness: HaproxyNode['liveness'] = 'live', region = 'us-east1'): HaproxyNode {
  return {
    nodeId,
    address: `node${nodeId}.example:26257`,
    httpPort: 8080,
    locality: [
      ['region', region],
      ['az', 'b'],
    ],
    liveness,
  };
}

function serverLines(config: string): string[] {
  return config.split('\n').filter((line) => line.trimStart().startsWith('server '));
}

describe('haproxy: cockroach gen haproxy’s configuration', () => {
  it('writes the fixed sections, then one server per node in node-id order', () => {
    const generated = generateHaproxyConfig([node(3), node(1), node(2, 'dead')]);
    assert.ok('config' in generated);
    const { config } = generated;
    // The file opens with a blank line and ends with one after the servers, as the template does.
    assert.ok(config.startsWith('\nglobal\n  maxconn 4096\n\ndefaults\n    mode                tcp\n'));
    assert.ok(config.endsWith('check port 8080\n\n'));
    assert.ok(
      config.includes('\nlisten psql\n    bind :26257\n    mode tcp\n    balance roundrobin\n    option httpchk GET /health?ready=1\n'),
    );
    assert.match(config, /^ {4}retries {13}2$/m);
    assert.match(config, /^ {4}timeout connect {5}5s$/m);
    // A dead node stays in: HAProxy's health check is what skips it.
    assert.deepEqual(serverLines(config), [
      '    server cockroach1 node1.example:26257 check port 8080',
      '    server cockroach2 node2.example:26257 check port 8080',
      '    server cockroach3 node3.example:26257 check port 8080',
    ]);
  });

  it('leaves decommissioning and decommissioned nodes out, warning about the first', () => {
    const generated = generateHaproxyConfig([node(1), node(2, 'decommissioning'), node(3, 'decommissioned')]);
    assert.ok('config' in generated);
    assert.deepEqual(serverLines(generated.config), ['    server cockroach1 node1.example:26257 check port 8080']);
    assert.deepEqual(generated.warnings, ['warning: node 2 status is DECOMMISSIONING, excluding from haproxy configuration']);
  });

  it('filters by locality with whole-value regular expressions', () => {
    const nodes = [node(1, 'live', 'us-east1'), node(2, 'live', 'us-west1'), node(3, 'live', 'europe-west1')];
    const us = generateHaproxyConfig(nodes, { locality: 'region=us.*' });
    assert.ok('config' in us);
    assert.deepEqual(
      serverLines(us.config).map((l) => l.split(' ').filter((w) => w !== '')[1]),
      ['cockroach1', 'cockroach2'],
    );
    // `us` alone does not match `us-east1`: the expression must match the whole value.
    const none = generateHaproxyConfig(nodes, { locality: 'region=us' });
    assert.deepEqual(none, {
      error:
        'no nodes match locality filter region=us. Found localities: [region=europe-west1,az=b region=us-east1,az=b region=us-west1,az=b]',
    });
  });
});

describe('haproxy: reading haproxy.cfg', () => {
  it('reads the generated file back into its listener and servers', () => {
    const generated = generateHaproxyConfig([node(1), node(2)]);
    assert.ok('config' in generated);
    const parsed = parseHaproxyConfig(generated.config, 'haproxy.cfg');
    assert.ok('listeners' in parsed, JSON.stringify(parsed));
    const [listener] = parsed.listeners;
    assert.equal(listener?.port, 26257);
    assert.equal(listener.balance, 'roundrobin');
    assert.equal(listener.httpCheck, 'GET /health?ready=1');
    assert.deepEqual(
      listener.servers.map((s) => [s.name, s.host, s.port, s.check, s.checkPort]),
      [
        ['cockroach1', 'node1.example', 26257, true, 8080],
        ['cockroach2', 'node2.example', 26257, true, 8080],
      ],
    );
  });

  it('joins a frontend to its default_backend', () => {
    const parsed = parseHaproxyConfig(
      'frontend sql\n  bind *:26000\n  default_backend nodes\n\nbackend nodes\n  balance roundrobin\n  server a localhost:26258 check port 8081 inter 1s fall 2\n',
      'lb.cfg',
    );
    assert.ok('listeners' in parsed);
    assert.equal(parsed.listeners[0]?.port, 26000);
    assert.deepEqual(
      parsed.listeners[0].servers.map((s) => [s.name, s.interMs, s.fall, s.rise]),
      [['a', 1000, 2, 2]],
    );
  });

  it('reports errors as HAProxy does, with the file and line', () => {
    assert.deepEqual(parseHaproxyConfig('bind :26257\n', 'h.cfg'), {
      errors: ["parsing [h.cfg:1] : unknown keyword 'bind' out of section."],
    });
    assert.deepEqual(parseHaproxyConfig('listen psql\n    bind :26257\n    frobnicate on\n', 'h.cfg'), {
      errors: ["parsing [h.cfg:3] : unknown keyword 'frobnicate' in 'listen' section"],
    });
    const missing = parseHaproxyConfig('frontend f\n  bind :1\n  default_backend nope\n', 'h.cfg');
    assert.deepEqual(missing, { errors: ["Proxy 'f': unable to find required default_backend: 'nope'."] });
  });
});

describe('haproxy: the load balancer', () => {
  const servers: HaproxyServer[] = [1, 2, 3].map((i) => ({
    name: `cockroach${i}`,
    host: `n${i}`,
    port: 26257,
    check: true,
    checkPort: 8080,
    interMs: 2000,
    fall: 3,
    rise: 2,
    backup: false,
  }));
  const listener: HaproxyListener = {
    proxy: 'psql',
    port: 26257,
    mode: 'tcp',
    balance: 'roundrobin',
    httpCheck: 'GET /health?ready=1',
    servers,
  };

  /** n2 dies at 10 s and comes back at 40 s. */
  const probe = (server: HaproxyServer, now: number): CheckResult => {
    if (server.host !== 'n2') return { passing: true, since: 0 };
    if (now < 10_000) return { passing: true, since: 0 };
    if (now < 40_000) return { passing: false, since: 10_000 };
    return { passing: true, since: 40_000 };
  };

  const next = (balancer: LoadBalancer, now: number): string => {
    const route = balancer.route(now, probe);
    return 'server' in route ? route.server.name : route.error;
  };

  it('hands connections to its servers in turn', () => {
    const balancer = new LoadBalancer(listener, 0);
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => next(balancer, 1000)),
      ['cockroach1', 'cockroach2', 'cockroach3', 'cockroach1', 'cockroach2'],
    );
  });

  it('marks a server down after `fall` failed checks and up after `rise` good ones', () => {
    const balancer = new LoadBalancer(listener, 0);
    // 5 s after the node died, two checks have failed: still up, connections still go to it.
    assert.equal(balancer.isUp(servers[1] as HaproxyServer, 15_000, probe), true);
    assert.equal(balancer.isUp(servers[1] as HaproxyServer, 16_000, probe), false);
    assert.deepEqual(
      [1, 2, 3, 4].map(() => next(balancer, 20_000)),
      ['cockroach1', 'cockroach3', 'cockroach1', 'cockroach3'],
    );
    // Back at 40 s: up once two checks pass.
    assert.equal(balancer.isUp(servers[1] as HaproxyServer, 42_000, probe), false);
    assert.equal(balancer.isUp(servers[1] as HaproxyServer, 44_000, probe), true);
  });

  it('uses backup servers only when no other is up, and says when none is', () => {
    const backup: HaproxyServer = { ...(servers[0] as HaproxyServer), name: 'spare', host: 'n9', backup: true };
    const balancer = new LoadBalancer({ ...listener, servers: [{ ...(servers[1] as HaproxyServer) }, backup] }, 0);
    assert.equal(next(balancer, 1000), 'cockroach2');
    assert.equal(next(balancer, 30_000), 'spare');
    const lonely = new LoadBalancer({ ...listener, servers: [{ ...(servers[1] as HaproxyServer) }] }, 0);
    assert.equal(next(lonely, 30_000), "proxy 'psql' has no server available!");
  });
});

describe('haproxy: a lab behind the load balancer', function () {
  let simulator: Simulator;
  const run = (text: string): Promise<LabRun> => simulator.lab.run(text);
  const ok = async (text: string): Promise<string> => {
    const result = await run(text);
    assert.equal(result.kind, 'simulated', `${text}\n${result.error ?? ''}\n${result.output}`);
    return result.output;
  };
  const gateway = async (): Promise<string> => {
    const out = await ok('cockroach sql --insecure --host=localhost:26257 --format=csv -e "SELECT crdb_internal.node_id() AS gateway"');
    return out.split('\n')[1] ?? '';
  };

  before(async () => {
    simulator = await Simulator.start({ nodes: 1 });
    for (let i = 1; i <= 3; i++)
      await ok(
        `cockroach start --insecure --store=node${i} --listen-addr=localhost:${26257 + i} --http-addr=localhost:${8080 + i} --join=localhost:26258,localhost:26259,localhost:26260 --background`,
      );
    await ok('cockroach init --insecure --host=localhost:26258');
  });
  after(async () => {
    await simulator.close();
  });

  it('cockroach gen haproxy writes the servers with each node’s own HTTP port', async () => {
    assert.equal(await ok('cockroach gen haproxy --insecure --host=localhost --port=26258'), '');
    assert.deepEqual(serverLines(simulator.lab.readFile('haproxy.cfg') ?? ''), [
      '    server cockroach1 localhost:26258 check port 8081',
      '    server cockroach2 localhost:26259 check port 8082',
      '    server cockroach3 localhost:26260 check port 8083',
    ]);
    assert.match(await ok('cockroach gen haproxy --insecure --port=26258 --out=-'), /^listen psql$/m);
  });

  it('haproxy -f listens where the file binds and spreads connections round robin', async () => {
    assert.match(await ok('haproxy -f haproxy.cfg &'), /^\[1\] \d+$/);
    assert.deepEqual([await gateway(), await gateway(), await gateway(), await gateway()], ['1', '2', '3', '1']);
  });

  it('after a node dies, connections go to the live nodes', async () => {
    await ok('cockroach quit --insecure --host=localhost:26259');
    await ok('sleep 10');
    const seen = [await gateway(), await gateway(), await gateway(), await gateway()];
    assert.ok(!seen.includes('2'), seen.join(','));
    assert.deepEqual(new Set(seen), new Set(['1', '3']));
    // The generated file still names the dead node: HAProxy's check keeps it out of rotation.
    await ok('cockroach gen haproxy --insecure --port=26258 --out=after.cfg');
    assert.equal(serverLines(simulator.lab.readFile('after.cfg') ?? '').length, 3);
  });

  it('refuses a second haproxy on a port in use, and a broken file, in HAProxy’s words', async () => {
    const busy = await run('haproxy -f haproxy.cfg');
    assert.match(
      busy.error ?? '',
      /^\[ALERT\] {4}\(\d+\) : Starting proxy psql: cannot bind socket \(Address already in use\) \[0\.0\.0\.0:26257\]$/,
    );
    await ok("cat > bad.cfg <<'EOF'\nlisten psql\n    bind :26400\n    frobnicate yes\nEOF");
    const bad = await run('haproxy -f bad.cfg');
    assert.equal(
      bad.error?.replace(/\(\d+\)/g, '(N)'),
      [
        "[ALERT]    (N) : config : parsing [bad.cfg:3] : unknown keyword 'frobnicate' in 'listen' section",
        '[ALERT]    (N) : config : Error(s) found in configuration file : bad.cfg',
        '[ALERT]    (N) : config : Fatal errors found in configuration.',
      ].join('\n'),
    );
    assert.equal((await run('haproxy -c -f haproxy.cfg')).output, 'Configuration file is valid');
  });

  it('killing haproxy closes its port; systemctl starts it from /etc/haproxy/haproxy.cfg', async () => {
    await ok('pkill haproxy');
    assert.equal(simulator.lab.listener(26257), undefined);
    const down = await run('cockroach sql --insecure --host=localhost:26257 -e "SELECT 1"');
    assert.equal(down.kind, 'error');
    const failedStart = await run('sudo systemctl start haproxy');
    assert.match(failedStart.error ?? '', /Job for haproxy\.service failed/);
    await ok('sudo cp haproxy.cfg /etc/haproxy/haproxy.cfg');
    await ok('sudo systemctl start haproxy');
    assert.match(await ok('systemctl status haproxy'), /Active: active \(running\)/);
    assert.ok(['1', '3'].includes(await gateway()));
    await ok('sudo systemctl stop haproxy');
    assert.equal(simulator.lab.listener(26257), undefined);
    assert.equal((await run('sudo systemctl restart cockroachdb')).kind, 'host');
  });
});

describe('haproxy: a configuration written in the lesson’s prose', () => {
  it('a block the prose names as haproxy.cfg is the file haproxy -f reads', async () => {
    const simulator = await Simulator.start({ nodes: 1 });
    try {
      const markdown = [
        '```shell',
        'cockroach start-single-node --insecure --store=solo --listen-addr=localhost:26258 --http-addr=localhost:8081 --background',
        '```',
        '',
        'Create a file named `lb.cfg` with the following contents:',
        '',
        '```text',
        'frontend sql',
        '    bind :26000',
        '    mode tcp',
        '    default_backend nodes',
        '',
        'backend nodes',
        '    balance roundrobin',
        '    option httpchk GET /health?ready=1',
        '    server solo localhost:26258 check port 8081',
        '```',
        '',
        '```shell',
        'haproxy -f lb.cfg &',
        'cockroach sql --insecure --port=26000 -e "SELECT crdb_internal.node_id() AS gateway"',
        '```',
      ].join('\n');
      const steps = await runLesson(simulator, markdown);
      assert.deepEqual(
        steps.map((step) => step.error ?? ''),
        steps.map(() => ''),
      );
      assert.match(steps[steps.length - 1]?.output ?? '', /gateway\n-+\n\s+1/);
    } finally {
      await simulator.close();
    }
  });
});
