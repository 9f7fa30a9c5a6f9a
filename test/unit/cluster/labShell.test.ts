// Shell blocks as terminal sessions: the parser's reading of heredocs, continuations, prompts,
// interactive SQL and pipelines; the lab interpreter that runs them on the simulated cluster
// (cockroach start/init with the nodes and addresses the commands name, SQL through each port,
// a node killed, node status, workloads, errors, host steps).
import * as assert from 'node:assert/strict';
import { fencedBlocks } from '../../../sql/src/fencedBlocks';
import { configFileOf, writeFileCommand } from '../../../cluster/src/lab/configBlocks';
import { parseCommandLine, shellSteps } from '../../../cluster/src/lab/shellScript';
import { Client } from 'pg';
import { Simulator } from '../../../cluster/src/simulator';
import { WireServer } from '../../../cluster/src/wire/server';
import type { Session } from '../../../cluster/src/sql/session';

describe('lab: shell blocks read as terminal sessions', () => {
  const steps = (content: string): [string, string][] => shellSteps(content).map((s) => [s.kind, s.text]);

  it('keeps a heredoc with its command, quoted or not, <<- stripping tabs', () => {
    const block = [
      "cat > f.yaml << 'EOF'",
      'a: 1',
      'b: $HOME',
      'EOF',
      'cockroach sql --insecure <<EOF',
      'SELECT 1;',
      'EOF',
      'cat <<-END',
      '\tindented',
      '\tEND',
      'echo done',
    ].join('\n');
    assert.deepEqual(steps(block), [
      ['shell', "cat > f.yaml << 'EOF'\na: 1\nb: $HOME\nEOF"],
      ['shell', 'cockroach sql --insecure <<EOF\nSELECT 1;\nEOF'],
      ['shell', 'cat <<-END\n\tindented\n\tEND'],
      ['shell', 'echo done'],
    ]);
    const [heredoc] = parseCommandLine("cat > f.yaml << 'EOF'\na: 1\nb: $HOME\nEOF");
    assert.deepEqual(heredoc?.pipeline.commands[0]?.redirects, [
      { op: '>', target: 'f.yaml' },
      { op: '<<', target: 'a: 1\nb: $HOME\n', literal: true },
    ]);
  });

  it('keeps a quoted word open across lines, as sh does, and no further', () => {
    const block = [
      '$ cockroach demo --no-example-database \\',
      '--execute="CREATE TABLE pets (',
      "    name STRING PRIMARY KEY, -- it's a comment inside the quotes",
      '    kind STRING',
      ');" \\',
      "--execute='SELECT 1;'",
      "# an apostrophe in a comment opens nothing: don't",
      'echo "done"',
    ].join('\n');
    assert.deepEqual(
      shellSteps(block).map((s) => [s.line, s.text]),
      [
        [
          0,
          "cockroach demo --no-example-database \\\n--execute=\"CREATE TABLE pets (\n    name STRING PRIMARY KEY, -- it's a comment inside the quotes\n    kind STRING\n);\" \\\n--execute='SELECT 1;'",
        ],
        [7, 'echo "done"'],
      ],
    );
    const [demo] = parseCommandLine(shellSteps(block)[0]?.text ?? '');
    assert.deepEqual(demo?.pipeline.commands[0]?.words.slice(3), [
      '--execute="CREATE TABLE pets (\n    name STRING PRIMARY KEY, -- it\'s a comment inside the quotes\n    kind STRING\n);"',
      "--execute='SELECT 1;'",
    ]);
  });

  it('joins continuation lines, strips $ and root # prompts, drops comments', () => {
    const block = [
      '# start a node',
      '$ cockroach start \\',
      '    --insecure \\',
      '    --store=node1',
      '# cockroach version',
      '#   not a command',
    ].join('\n');
    assert.deepEqual(
      shellSteps(block).map((s) => [s.line, s.text]),
      [
        [1, 'cockroach start \\\n    --insecure \\\n    --store=node1'],
        [4, 'cockroach version'],
      ],
    );
  });

  it('reads prompt lines and the lines after an interactive cockroach sql as SQL, one statement each', () => {
    const block = [
      'cockroach sql --insecure --host=localhost:26258',
      'CREATE TABLE t (',
      '  id INT PRIMARY KEY',
      '); INSERT INTO t VALUES (1);',
      '\\q',
      'root@localhost:26257/defaultdb> SELECT * FROM t;',
      '> SELECT 2;',
      'cockroach sql --insecure -e "SELECT 3"',
      'echo after',
    ].join('\n');
    assert.deepEqual(steps(block), [
      ['shell', 'cockroach sql --insecure --host=localhost:26258'],
      ['sql', 'CREATE TABLE t (\n  id INT PRIMARY KEY\n);'],
      ['sql', 'INSERT INTO t VALUES (1);'],
      ['sql', 'SELECT * FROM t;'],
      ['sql', 'SELECT 2;'],
      ['shell', 'cockroach sql --insecure -e "SELECT 3"'],
      ['shell', 'echo after'],
    ]);
  });

  it('parses pipes, &&, ;, & and VAR=value', () => {
    const list = parseCommandLine('FOO=1 cat f.sql | cockroach sql --insecure && echo ok; sleep 1 &');
    assert.deepEqual(
      list.map((item) => ({ words: item.pipeline.commands.map((c) => c.words), then: item.then, background: item.background })),
      [
        {
          words: [
            ['cat', 'f.sql'],
            ['cockroach', 'sql', '--insecure'],
          ],
          then: '&&',
          background: false,
        },
        { words: [['echo', 'ok']], then: ';', background: false },
        { words: [['sleep', '1']], then: undefined, background: true },
      ],
    );
    assert.deepEqual(list[0]?.pipeline.commands[0]?.assignments, [{ name: 'FOO', value: '1' }]);
  });

  it('makes a block a file when the prose just before it, or its heading, names one file', () => {
    const markdown = [
      '## Configure the load balancer',
      '',
      'Create a file named `haproxy.cfg` with the following contents:',
      '',
      '```text',
      'listen psql',
      '    bind :26000',
      '```',
      '',
      '### Edit cockroachdb-statefulset.yaml',
      '',
      '```yaml',
      'kind: StatefulSet',
      '```',
      '',
      'The output looks like this:',
      '',
      '```text',
      'Cluster successfully initialized',
      '```',
    ].join('\n');
    const lines = markdown.split('\n');
    const blocks = fencedBlocks(markdown);
    assert.deepEqual(
      blocks.map((b, i) => configFileOf(lines, b, blocks[i - 1])),
      ['haproxy.cfg', 'cockroachdb-statefulset.yaml', undefined],
    );
    assert.equal(writeFileCommand('a.txt', 'x\nEOF\n'), "cat > a.txt <<'EOF_'\nx\nEOF\nEOF_");
  });
});

describe('lab: the interpreter on the simulated cluster', function () {
  this.timeout(120_000);
  let simulator: Simulator;
  let session: Session;

  /** Runs a `\!` statement: the output lines, the tag, and the error if any. */
  async function shell(command: string): Promise<{ output: string; tag: string; error?: string; detail?: string }> {
    const [result] = await session.execute(`\\! ${command}`);
    assert.ok(result);
    return {
      output: result.rows.map((r) => r[0] ?? '').join('\n'),
      tag: result.tag,
      ...(result.error ? { error: result.error.message, ...(result.error.detail ? { detail: result.error.detail } : {}) } : {}),
    };
  }

  const join = '--join=localhost:26257,localhost:26258,localhost:26259';
  const startNode = (n: number, zone: string): string =>
    `cockroach start --insecure --store=node${n} --locality=region=us-west1,zone=${zone} --listen-addr=localhost:${26256 + n} --http-addr=localhost:${8079 + n} ${join} --background`;

  before(async () => {
    simulator = await Simulator.start({ global: true });
    session = simulator.openSession();
  });
  after(async () => {
    await simulator.close();
  });

  it('starts three nodes that serve only after init, with the localities and addresses given', async () => {
    for (const [n, zone] of [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ] as const) {
      const started = await shell(startNode(n, zone));
      assert.equal(started.error, undefined);
      assert.match(started.output, /wait for `cockroach init`/);
    }
    const early = await shell('cockroach sql --insecure --host=localhost:26258 -e "SELECT 1"');
    assert.match(early.error ?? '', /waiting for `cockroach init`/);
    assert.equal((await shell('cockroach init --insecure --host=localhost:26258')).output, 'Cluster successfully initialized');
    assert.deepEqual(
      simulator.model.nodes().map((n) => [n.id, n.locality.region, n.locality.zone, simulator.addresses.get(n.id)]),
      [
        [1, 'us-west1', 'b', 'localhost:26258'],
        [2, 'us-west1', 'a', 'localhost:26257'],
        [3, 'us-west1', 'c', 'localhost:26259'],
      ],
    );
    const again = await shell('cockroach init --insecure --host=localhost:26257');
    assert.match(again.error ?? '', /cluster has already been initialized/);
    const banner = await shell("grep 'node starting' node1/logs/cockroach.log -A 13");
    assert.match(banner.output, /^CockroachDB node starting at/);
    assert.match(banner.output, /sql: +postgresql:\/\/root@localhost:26257\/defaultdb\?sslmode=disable/);
    assert.match(banner.output, /store\[0\]: +path=\/home\/lab\/node1/);
    assert.match(banner.output, /nodeID: +2/);
  });

  it('runs SQL through each port: -e, -f, < file, a heredoc, a pipe, and --format', async () => {
    const created = await shell(
      `cockroach sql --insecure --host=localhost:26257 -e "CREATE TABLE lab_t (id INT PRIMARY KEY, name STRING)" -e "INSERT INTO lab_t VALUES (1, 'one')"`,
    );
    assert.equal(created.output, 'CREATE TABLE\nINSERT 0 1');
    assert.equal(
      (
        await shell(
          `cockroach sql --insecure --port=26258 --format=csv <<'EOF'\nINSERT INTO lab_t VALUES (2, 'two');\nSELECT * FROM lab_t ORDER BY id;\nEOF`,
        )
      ).output,
      'INSERT 0 1\nid,name\n1,one\n2,two',
    );
    await shell("echo 'SELECT count(*) AS n FROM lab_t;' > count.sql");
    assert.equal(
      (
        await shell(
          'cockroach sql --insecure --url "postgresql://root@localhost:26259/defaultdb?sslmode=disable" -f count.sql --format=tsv',
        )
      ).output,
      'n\n2',
    );
    assert.equal((await shell('cockroach sql --insecure --port 26259 --format=records < count.sql')).output, '-[ RECORD 1 ]\nn | 2');
    assert.equal((await shell('cat count.sql | cockroach sql --insecure --host=localhost:26258')).output, ' n\n---\n 2\n(1 row)');
    const missing = await shell('cockroach sql --insecure -e "SELECT * FROM nowhere"');
    assert.equal(missing.error, 'ERROR: relation "nowhere" does not exist\nSQLSTATE: 42P01\nFailed running "sql"');
    assert.match(missing.detail ?? '', /exit status 1$/);
  });

  it('types SQL into an interactive cockroach sql until \\q', async () => {
    const opened = await shell('cockroach sql --insecure --host=localhost:26259');
    assert.match(opened.output, /Welcome to the CockroachDB SQL shell/);
    assert.equal((await shell('> SELECT name FROM lab_t WHERE id = 2;')).output, ' name\n------\n two\n(1 row)');
    assert.equal((await shell('\\q\nSELECT 1')).tag, 'SHELL NOT SIMULATED');
  });

  it('kills the node a command names: the node dies in the model, SQL answers elsewhere, node status shows it', async () => {
    assert.equal((await shell('pgrep -f "store=node3"')).output, (await shell('lsof -t -i :26259')).output);
    assert.equal((await shell('kill -9 $(lsof -t -i :26259)')).error, undefined);
    assert.equal(simulator.model.node(3)?.running, false);
    simulator.model.advance(10_000);
    assert.match((await shell('cockroach sql --insecure --host=localhost:26259 -e "SELECT 1"')).error ?? '', /cannot dial server/);
    assert.equal(
      (await shell('cockroach sql --insecure --host=localhost:26257 -e "SELECT count(*) FROM lab_t"')).output,
      ' count\n-------\n     2\n(1 row)',
    );
    const status = await shell('cockroach node status --insecure --host=localhost:26258');
    const rows = status.output
      .split('\n')
      .slice(2, 5)
      .map((line) => line.split('|').map((cell) => cell.trim()));
    assert.deepEqual(
      rows.map((r) => [r[0], r[1], r[8]]),
      [
        ['1', 'localhost:26258', 'true'],
        ['2', 'localhost:26257', 'true'],
        ['3', 'localhost:26259', 'false'],
      ],
    );
    // Restarting the same store brings node 3 back with its id.
    assert.equal((await shell(startNode(3, 'c'))).error, undefined);
    assert.equal(simulator.model.node(3)?.running, true);
  });

  it('runs the bank, movr and kv workloads in simulated time', async () => {
    const url = "'postgresql://root@localhost:26258?sslmode=disable'";
    assert.equal((await shell(`cockroach workload init bank ${url}`)).output, 'imported bank (0s, 1000 rows)');
    const before = simulator.clock.now();
    const bank = await shell(`cockroach workload run bank --duration=3s ${url}`);
    assert.equal(bank.error, undefined);
    assert.equal(simulator.clock.now() - before, 3000);
    assert.match(bank.output, /^_elapsed___errors__ops\/sec\(inst\)/);
    assert.match(bank.output, /\n {4}3\.0s +0 +60 +20\.0 .* transfer$/);
    assert.match((await shell(`cockroach workload init movr ${url}`)).output, /imported rides \(0s, 500 rows\)/);
    const [counts] = await session.execute('SELECT (SELECT count(*) FROM movr.users), (SELECT count(*) FROM movr.promo_codes)');
    assert.deepEqual(counts?.rows, [['50', '1000']]);
    assert.equal((await shell(`cockroach workload run movr --max-ops=25 ${url}`)).error, undefined);
    await shell(`cockroach workload init kv ${url}`);
    const kv = await shell(`cockroach workload run kv --max-ops=30 ${url}`);
    assert.match(kv.output, / 30 +[\d.]+ .* write$/);
    const [rows] = await session.execute('SELECT count(*) FROM kv.kv');
    assert.deepEqual(rows?.rows, [['30']]);
  });

  it('finds the subcommand past flags written before it, as cockroach does', async () => {
    const before = await shell(`cockroach --insecure --host=localhost:26258 sql -e "SELECT 40 + 2 AS answer"`);
    assert.equal(before.error, undefined);
    assert.match(before.output, /answer\n-+\n\s*42\n/);
    const spaced = await shell(`cockroach --host localhost:26258 --insecure sql -e "SELECT 1 AS one"`);
    assert.equal(spaced.error, undefined);
    assert.match(spaced.output, /one\n-+\n\s*1\n/);
  });

  it('answers unknown commands with cockroach errors and host steps with one line', async () => {
    const zone = await shell('cockroach zone set .default --insecure -f zone.yaml');
    assert.equal(zone.error, 'ERROR: unknown command "zone" for "cockroach"\nRun \'cockroach --help\' for usage.');
    assert.deepEqual(
      [
        await shell('sudo apt-get install -y haproxy'),
        await shell('curl -O https://binaries.cockroachdb.com/cockroach-v25.2.0.linux-amd64.tgz'),
        await shell('tar -xzf cockroach-v25.2.0.linux-amd64.tgz'),
      ].map((r) => [r.tag, r.output.split('\n').length, r.output.startsWith('host step: ')]),
      [
        ['SHELL HOST', 1, true],
        ['SHELL HOST', 1, true],
        ['SHELL HOST', 1, true],
      ],
    );
    assert.equal((await shell('terraform apply')).tag, 'SHELL NOT SIMULATED');
  });

  it('keeps files, variables and exit statuses like a shell', async () => {
    const run = await shell(
      'export PORT=26257\nNAME=world\necho "hello $NAME" > greeting.txt && cat greeting.txt\ncat missing.txt || echo "status $?"\necho \'$NAME\' | tee -a greeting.txt\nls',
    );
    assert.equal(
      run.output,
      'hello world\ncat: missing.txt: No such file or directory\nstatus 1\n$NAME\ncockroach-v25.2.0.linux-amd64.tgz\ncount.sql\ngreeting.txt\nnode1\nnode2\nnode3',
    );
    assert.equal((await shell('cat greeting.txt')).output, 'hello world\n$NAME');
  });

  it('edits files with sed: -i with a backup suffix, basic and extended expressions, & and groups', async () => {
    await shell("printf 'listen psql\\n    bind :26257\\n    mode tcp\\n' > lb.cfg");
    assert.equal((await shell("sed -i.saved 's/^    bind :26257/    bind :26000/' lb.cfg")).error, undefined);
    assert.equal((await shell('cat lb.cfg')).output, 'listen psql\n    bind :26000\n    mode tcp');
    assert.equal((await shell('cat lb.cfg.saved')).output, 'listen psql\n    bind :26257\n    mode tcp');
    assert.equal((await shell("echo 'f(x) = x+1' | sed 's/\\([a-z]\\)(x)/<\\1 &>/; s/+/ plus /g'")).output, '<f f(x)> = x plus 1');
    assert.equal((await shell("echo 'aaa' | sed -E -e 's/a+$/b/'")).output, 'b');
    assert.equal((await shell("echo 'a a a' | sed 's/a/b/2'")).output, 'a b a');
    assert.match((await shell("sed 's/a/b/' missing.cfg")).error ?? '', /can't read missing.cfg: No such file or directory/);
    assert.match((await shell("sed 'q' lb.cfg")).error ?? '', /unknown command: `q'/);
  });

  it("rebuilds the cluster to cockroach demo's shape", async () => {
    await shell(
      'cockroach demo --nodes 5 --demo-locality=region=us-east1,az=a:region=us-east1,az=b:region=us-west1,az=a:region=us-west1,az=b:region=eu-west1,az=a',
    );
    assert.deepEqual(
      simulator.model.nodes().map((n) => n.locality.region),
      ['us-east1', 'us-east1', 'us-west1', 'us-west1', 'eu-west1'],
    );
    // A new cluster: what the lab made before is gone, and the shell is on demo's movr database.
    assert.match((await shell('> SELECT count(*) FROM lab_t;')).error ?? '', /relation "lab_t" does not exist/);
    assert.equal((await shell('> SELECT count(*) FROM users;')).output, ' count\n-------\n    50\n(1 row)');
    assert.equal((await shell('> SELECT current_user, current_database();')).output.split('\n')[2], ' demo         | movr');
  });

  it('cockroach demo --execute runs a multi-line statement on a fresh cluster and exits', async () => {
    await shell('> CREATE TABLE before_demo (k INT PRIMARY KEY);');
    const run = await shell(
      'cockroach demo --no-example-database \\\n  --execute="CREATE TABLE pets (\n    name STRING PRIMARY KEY,\n    legs INT\n);" \\\n  --execute="INSERT INTO pets VALUES (\'rex\', 4);" --execute="SHOW TABLES;"',
    );
    assert.equal(run.error, undefined);
    assert.match(run.output, /^CREATE TABLE\nINSERT 0 1\n/);
    assert.match(run.output, /public +\| pets +\| table/);
    assert.doesNotMatch(run.output, /before_demo/);
  });
});

describe('lab: a single node, stopped and started again', function () {
  this.timeout(120_000);

  it('start-single-node serves at once; cockroach quit stops it; the same store starts it again as the same node', async () => {
    const simulator = await Simulator.start({ nodes: 3 });
    const session = simulator.openSession();
    const shell = async (command: string): Promise<{ output: string; error?: string }> => {
      const [result] = await session.execute(`\\! ${command}`);
      return { output: (result?.rows ?? []).map((r) => r[0] ?? '').join('\n'), ...(result?.error ? { error: result.error.message } : {}) };
    };
    try {
      const secure = await shell('cockroach start-single-node --store=solo --listen-addr=localhost:26300 --http-addr=localhost:8300');
      assert.match(secure.error ?? '', /cannot load certificates/);
      assert.match((await shell('cockroach cert create-ca --certs-dir=certs --ca-key=my-safe-directory/ca.key')).output, /^host step: /);
      const started = await shell(
        'cockroach start-single-node --certs-dir=certs --store=solo --listen-addr=localhost:26300 --http-addr=localhost:8300 &',
      );
      assert.match(started.output, /status: +initialized new cluster/);
      assert.deepEqual(
        simulator.model.nodes().map((n) => [n.id, simulator.addresses.get(n.id)]),
        [[1, 'localhost:26300']],
      );
      assert.equal((await shell('cockroach sql --certs-dir=certs --port=26300 -e "SELECT 7 AS n" --format=csv')).output, 'n\n7');
      assert.match((await shell('cockroach quit --certs-dir=certs --host=localhost:26300')).output, /ok$/);
      assert.equal(simulator.model.node(1)?.running, false);
      assert.match((await shell('cockroach sql --certs-dir=certs --port=26300 -e "SELECT 1"')).error ?? '', /cannot dial server/);
      const again = await shell(
        'cockroach start-single-node --certs-dir=certs --store=solo --listen-addr=localhost:26300 --http-addr=localhost:8300',
      );
      assert.match(again.output, /status: +restarted pre-existing node/);
      assert.equal(simulator.model.node(1)?.running, true);
      assert.match((await shell('cockroach version')).output, /^Build Tag: +v25\.2/);
    } finally {
      await simulator.close();
    }
  });
});

describe("lab: \\! statements over the PostgreSQL wire protocol (the editor's path)", function () {
  this.timeout(120_000);

  it('runs a heredoc and the SQL it wrote, by simple and extended query, and reports failures as errors', async () => {
    const simulator = await Simulator.start({ nodes: 3 });
    const server = await WireServer.start(simulator, { port: 0 });
    const client = new Client({ connectionString: `postgresql://root@127.0.0.1:${server.port(1)}/defaultdb?sslmode=disable` });
    try {
      await client.connect();
      const written = await client.query("\\! cat > two.sql <<'EOF'\nSELECT 1 AS a;\nSELECT 2 AS b;\nEOF");
      assert.equal(written.command, 'SHELL');
      const port = server.port(2);
      const ran = await client.query({
        text: `\\! cockroach sql --insecure --port=${port} --format=csv -f two.sql`,
        rowMode: 'array',
        name: 'extended',
      });
      assert.deepEqual(
        ran.fields.map((f) => f.name),
        ['output'],
      );
      assert.deepEqual(ran.rows, [['a'], ['1'], ['b'], ['2']]);
      // The wire server's ports are random; lessons written for demo still dial n1 at 26257.
      const status = await client.query({ text: '\\! cockroach node status --insecure --host=localhost:26257', rowMode: 'array' });
      assert.equal(status.rows.length, 2 + 3 + 1, 'header, rule, three nodes, row count');
      const host = await client.query('\\! brew install cockroachdb/tap/cockroach');
      // pg keeps the tag's first word; the runner reads the whole tag (SHELL HOST) from CommandComplete.
      assert.equal(host.command, 'SHELL');
      assert.match(String((host.rows[0] as { output?: string } | undefined)?.output), /^host step: cockroach is assumed installed/);
      await assert.rejects(client.query('\\! cockroach frobnicate'), (error: Error & { code?: string }) => {
        assert.equal(error.code, '58000');
        assert.match(error.message, /unknown command "frobnicate" for "cockroach"/);
        return true;
      });
    } finally {
      await client.end().catch(() => undefined);
      await server.close();
      await simulator.close();
    }
  });
});
