// Kubernetes in a lab: manifests read as kubectl reads them, kubectl's tables and ages, and pods
// that are CockroachDB nodes — their states over simulated time, what deleting or scaling them does
// to the cluster, commands run through them, and helm's rendering of CockroachDB's chart.
import * as assert from 'node:assert/strict';
import { humanDuration, kubectlTable } from '../../../cluster/src/lab/kubernetes/format';
import { chartFullName, renderChart } from '../../../cluster/src/lab/kubernetes/helm';
import { objectRef, parseManifests, statefulSetSpec, type KubeObject } from '../../../cluster/src/lab/kubernetes/manifests';
import { kubernetes } from '../../../cluster/src/lab/kubernetes/state';
import type { LabRun } from '../../../cluster/src/lab/lab';
import { Simulator } from '../../../cluster/src/simulator';

const MANIFEST = `apiVersion: v1
kind: Service
metadata:
  name: cockroachdb-public
  labels:
    app: cockroachdb
spec:
  ports:
  - port: 26257
    targetPort: 26257
    name: grpc
  selector:
    app: cockroachdb
---
apiVersion: v1
kind: Service
metadata:
  name: cockroachdb
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  ports:
  - port: 26257
    name: grpc
  selector:
    app: cockroachdb
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: cockroachdb-budget
spec:
  selector:
    matchLabels:
      app: cockroachdb
  maxUnavailable: 1
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cockroachdb
spec:
  serviceName: cockroachdb
  replicas: REPLICAS
  podManagementPolicy: Parallel
  selector:
    matchLabels:
      app: cockroachdb
  template:
    metadata:
      labels:
        app: cockroachdb
    spec:
      containers:
      - name: cockroachdb
        image: cockroachdb/cockroach:v25.2.0
        readinessProbe:
          httpGet:
            path: "/health?ready=1"
            port: 8080
          initialDelaySeconds: 10
          periodSeconds: 5
        command:
          - "/bin/bash"
          - "-ecx"
          - exec /cockroach/cockroach start --insecure --advertise-host $(hostname -f) --http-addr 0.0.0.0
            --join cockroachdb-0.cockroachdb,cockroachdb-1.cockroachdb,cockroachdb-2.cockroachdb
            --locality=region=us-east1,zone=us-east1-b
  volumeClaimTemplates:
  - metadata:
      name: datadir
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 10Gi
`;

const INIT_JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: cluster-init
spec:
  template:
    spec:
      restartPolicy: OnFailure
      containers:
      - name: cluster-init
        image: cockroachdb/cockroach:v25.2.0
        command: ["/cockroach/cockroach", "init", "--insecure", "--host=cockroachdb-0.cockroachdb"]
`;

function manifest(replicas: number): string {
  return MANIFEST.replace('REPLICAS', String(replicas));
}

function must(result: ReturnType<typeof parseManifests>): KubeObject[] {
  if ('error' in result) throw new Error(result.error);
  return result.objects;
}

/** The rows of a kubectl table, as cells. */
function rows(output: string): string[][] {
  return output
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s{2,}/));
}

function pod(output: string, name: string): { ready: string; status: string; restarts: string; age: string } | undefined {
  const row = rows(output).find((cells) => cells[0] === name);
  return row ? { ready: row[1] ?? '', status: row[2] ?? '', restarts: row[3] ?? '', age: row[4] ?? '' } : undefined;
}

describe('kubernetes: manifests', () => {
  it('reads every document of a multi-document file, with kubectl names', () => {
    const objects = must(parseManifests(manifest(5), 'cockroachdb.yaml'));
    assert.deepEqual(objects.map(objectRef), [
      'service/cockroachdb-public',
      'service/cockroachdb',
      'poddisruptionbudget.policy/cockroachdb-budget',
      'statefulset.apps/cockroachdb',
    ]);
    const spec = statefulSetSpec(objects[3] as KubeObject);
    assert.equal(spec.replicas, 5);
    assert.equal(spec.serviceName, 'cockroachdb');
    assert.equal(spec.podManagementPolicy, 'Parallel');
    assert.deepEqual(spec.readiness, { initialDelayMs: 10_000, periodMs: 5000 });
    assert.deepEqual(spec.volumeClaims, [{ name: 'datadir', storage: '10Gi' }]);
    assert.equal(spec.cockroach?.insecure, true);
    assert.equal(spec.cockroach.locality, 'region=us-east1,zone=us-east1-b');
    assert.deepEqual(spec.cockroach.join, ['cockroachdb-0.cockroachdb', 'cockroachdb-1.cockroachdb', 'cockroachdb-2.cockroachdb']);
    assert.equal(spec.cockroach.httpPort, 8080);
  });

  it('defaults an unset replicas to 1 and an unset policy to OrderedReady, as Kubernetes does', () => {
    const text =
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n';
    const spec = statefulSetSpec(must(parseManifests(text, 'web.yaml'))[0] as KubeObject);
    assert.equal(spec.replicas, 1);
    assert.equal(spec.podManagementPolicy, 'OrderedReady');
    assert.equal(spec.cockroach, undefined);
  });

  it('expands a List and skips empty documents', () => {
    const text =
      '---\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: b\n';
    assert.deepEqual(must(parseManifests(text, 'list.yaml')).map(objectRef), ['configmap/a', 'secret/b']);
  });

  it('answers bad manifests with kubectl’s errors', () => {
    const noKind = parseManifests('apiVersion: v1\nmetadata:\n  name: x\n', 'x.yaml');
    assert.ok('error' in noKind && noKind.error.includes('error validating "x.yaml": error validating data: kind not set'));
    const noName = parseManifests('apiVersion: v1\nkind: Service\nmetadata: {}\n', 'x.yaml');
    assert.ok('error' in noName && noName.error.includes('metadata.name: Required value'));
    const broken = parseManifests('kind: Service\n  name: : x\n', 'x.yaml');
    assert.ok(
      'error' in broken && broken.error.startsWith('error: error parsing x.yaml: error converting YAML to JSON: yaml: line'),
      JSON.stringify(broken),
    );
  });
});

describe('kubernetes: kubectl output formats', () => {
  it('prints ages as Kubernetes’ human durations', () => {
    assert.deepEqual(
      [
        0,
        45_000,
        119_000,
        120_000,
        150_000,
        600_000,
        3 * 3_600_000 - 1,
        3 * 3_600_000 + 60_000,
        30 * 3_600_000,
        50 * 3_600_000,
        800 * 86_400_000,
      ].map(humanDuration),
      ['0s', '45s', '119s', '2m', '2m30s', '10m', '179m', '3h1m', '30h', '2d2h', '2y70d'],
    );
  });

  it('pads every column but the last by three spaces, at least six wide', () => {
    assert.equal(
      kubectlTable(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], [['cockroachdb-0', '1/1', 'Running', '0', '2m']]),
      'NAME            READY   STATUS    RESTARTS   AGE\ncockroachdb-0   1/1     Running   0          2m\n',
    );
  });
});

describe('kubernetes: a StatefulSet of CockroachDB pods in a lab', function () {
  let simulator: Simulator;
  const run = (text: string): Promise<LabRun> => simulator.lab.run(text);
  const ok = async (text: string): Promise<string> => {
    const result = await run(text);
    assert.equal(result.kind, 'simulated', `${text}\n${result.error ?? ''}\n${result.output}`);
    return result.output;
  };

  before(async () => {
    simulator = await Simulator.start({ nodes: 1 });
  });
  after(async () => {
    await simulator.close();
  });

  it('applies a heredoc manifest: the objects kubectl reports, pods waiting for init', async () => {
    await ok(`cat > cockroachdb.yaml <<'EOF'\n${manifest(3)}EOF`);
    assert.equal(
      await ok('kubectl apply -f cockroachdb.yaml'),
      'service/cockroachdb-public created\nservice/cockroachdb created\npoddisruptionbudget.policy/cockroachdb-budget created\nstatefulset.apps/cockroachdb created',
    );
    assert.deepEqual(pod(await ok('kubectl get pods'), 'cockroachdb-0'), { ready: '0/1', status: 'Pending', restarts: '0', age: '0s' });
    simulator.model.advance(2000);
    assert.equal(pod(await ok('kubectl get pods'), 'cockroachdb-1')?.status, 'ContainerCreating');
    simulator.model.advance(20_000);
    // Running, but not ready: /health?ready=1 fails until the cluster is initialized.
    assert.deepEqual(pod(await ok('kubectl get pods'), 'cockroachdb-2'), { ready: '0/1', status: 'Running', restarts: '0', age: '22s' });
    const refused = await run('kubectl exec cockroachdb-0 -- ./cockroach sql --insecure -e "SELECT 1"');
    assert.equal(refused.kind, 'error');
    assert.match(refused.error ?? '', /waiting for `cockroach init`/);
    // Applying the same file again changes nothing.
    assert.match(await ok('kubectl apply -f cockroachdb.yaml'), /^service\/cockroachdb-public unchanged$/m);
  });

  it('the init Job makes the running pods the cluster’s nodes, in ordinal order', async () => {
    await ok(`cat > init.yaml <<'EOF'\n${INIT_JOB}EOF`);
    assert.equal(await ok('kubectl create -f init.yaml'), 'job.batch/cluster-init created');
    assert.match(
      await ok('kubectl wait --for=condition=Ready pod -l app=cockroachdb --timeout=60s'),
      /^pod\/cockroachdb-0 condition met$/m,
    );
    const pods = await ok('kubectl get pods');
    for (const name of ['cockroachdb-0', 'cockroachdb-1', 'cockroachdb-2']) assert.equal(pod(pods, name)?.ready, '1/1', pods);
    assert.equal(rows(pods).find((cells) => cells[0]?.startsWith('cluster-init-'))?.[2], 'Completed');
    assert.match(await ok('kubectl get job cluster-init'), /cluster-init\s+Complete\s+1\/1/);
    assert.deepEqual(
      simulator.model.nodes().map((n) => [n.id, n.liveness, simulator.addresses.get(n.id)]),
      [1, 2, 3].map((id) => [id, 'live', `cockroachdb-${id - 1}.cockroachdb.default.svc.cluster.local:26257`]),
    );
    assert.deepEqual(
      simulator.model.nodes().map((n) => n.locality),
      [1, 2, 3].map(() => ({ region: 'us-east1', zone: 'us-east1-b' })),
    );
    assert.equal(
      await ok('kubectl get statefulsets'),
      kubectlTable(
        ['NAME', 'READY', 'AGE'],
        [
          [
            'cockroachdb',
            '3/3',
            humanDuration(
              kubernetes(simulator.lab).cluster.now() - (kubernetes(simulator.lab).cluster.statefulSets.get('cockroachdb')?.createdAt ?? 0),
            ),
          ],
        ],
      ).trimEnd(),
    );
    assert.deepEqual(
      rows(await ok('kubectl get pvc')).map((cells) => [cells[0], cells[1], cells[3]]),
      [0, 1, 2].map((i) => [`datadir-cockroachdb-${i}`, 'Bound', '10Gi']),
    );
    assert.match(await ok('kubectl get svc'), /^cockroachdb\s+ClusterIP\s+None\s+<none>\s+26257\/TCP/m);
    const again = await run('kubectl exec cockroachdb-1 -- ./cockroach init --insecure');
    assert.match(again.error ?? '', /cluster has already been initialized/);
  });

  it('runs cockroach through a pod’s node, a pod’s DNS name and the public Service', async () => {
    await ok(
      'kubectl exec -it cockroachdb-0 -- ./cockroach sql --insecure -e "CREATE TABLE kv (k INT PRIMARY KEY, v STRING)" -e "INSERT INTO kv VALUES (1, \'one\'), (2, \'two\')"',
    );
    assert.match(await ok('kubectl exec cockroachdb-2 -- ./cockroach sql --insecure -e "SELECT crdb_internal.node_id()"'), /^\s+3$/m);
    assert.match(
      await ok(
        'kubectl exec cockroachdb-2 -- ./cockroach sql --insecure --host=cockroachdb-1.cockroachdb -e "SELECT crdb_internal.node_id()"',
      ),
      /^\s+2$/m,
    );
    // The public Service spreads connections over the ready pods.
    const gateways = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const out = await ok(
        'kubectl run client --image=cockroachdb/cockroach --rm -it --restart=Never -- sql --insecure --host=cockroachdb-public -e "SELECT crdb_internal.node_id()"',
      );
      assert.match(out, /pod "client" deleted$/);
      gateways.add(out.split('\n')[2]?.trim() ?? '');
    }
    assert.deepEqual([...gateways].sort(), ['1', '2', '3']);
    const nowhere = await run('kubectl exec cockroachdb-0 -- ./cockroach sql --insecure --host=nosuch-service -e "SELECT 1"');
    assert.match(nowhere.error ?? '', /lookup nosuch-service on 10\.96\.0\.10:53: no such host/);
    assert.match(
      await ok('kubectl exec cockroachdb-0 -- ./cockroach node status --insecure'),
      /cockroachdb-2\.cockroachdb\.default\.svc\.cluster\.local:26257/,
    );
  });

  it('delete pod: the node dies, the StatefulSet recreates the pod, the same node rejoins', async () => {
    const cluster = kubernetes(simulator.lab).cluster;
    const deletedAt = cluster.now();
    assert.equal(await ok('kubectl delete pod cockroachdb-1'), 'pod "cockroachdb-1" deleted');
    // kubectl waited for the pod to be gone (its node drained and exited).
    assert.ok(cluster.now() > deletedAt);
    assert.equal(simulator.model.node(2)?.liveness, 'dead');
    assert.equal(pod(await ok('kubectl get pods'), 'cockroachdb-1'), undefined);
    simulator.model.advance(2000);
    assert.deepEqual(pod(await ok('kubectl get pods'), 'cockroachdb-1'), {
      ready: '0/1',
      status: 'ContainerCreating',
      restarts: '0',
      age: '1s',
    });
    simulator.model.advance(3000);
    // The container runs: the node restarts from its store, and is ready at the next readiness probe.
    assert.equal(simulator.model.node(2)?.liveness, 'live');
    assert.equal(pod(await ok('kubectl get pods'), 'cockroachdb-1')?.ready, '0/1');
    simulator.model.advance(12_000);
    assert.deepEqual(pod(await ok('kubectl get pods'), 'cockroachdb-1'), { ready: '1/1', status: 'Running', restarts: '0', age: '16s' });
    assert.equal(simulator.model.nodes().length, 3);
    assert.match(await ok('kubectl exec cockroachdb-1 -- ./cockroach sql --insecure -e "SELECT v FROM kv WHERE k = 2"'), /two/);
    const missing = await run('kubectl delete pod cockroachdb-9');
    assert.equal(missing.error, 'Error from server (NotFound): pods "cockroachdb-9" not found');
  });

  it('scale: up adds nodes; down without decommissioning leaves the highest ordinal’s node dead', async () => {
    assert.equal(await ok('kubectl scale statefulset cockroachdb --replicas=4'), 'statefulset.apps/cockroachdb scaled');
    const rollout = await ok('kubectl rollout status statefulset/cockroachdb');
    assert.match(rollout, /^Waiting for 1 pods to be ready\.\.\.$/m);
    assert.match(rollout, /statefulset rolling update complete 4 pods at revision cockroachdb-\w+\.\.\.$/);
    assert.deepEqual(
      simulator.model.nodes().map((n) => [n.id, n.liveness]),
      [
        [1, 'live'],
        [2, 'live'],
        [3, 'live'],
        [4, 'live'],
      ],
    );
    await ok('kubectl scale sts cockroachdb --replicas=3');
    assert.equal(simulator.model.node(4)?.liveness, 'dead');
    simulator.model.advance(10_000);
    assert.equal(pod(await ok('kubectl get pods'), 'cockroachdb-3'), undefined);
    // The claim outlives the pod: scaling up again brings node 4 back, not a node 5.
    await ok('kubectl scale sts cockroachdb --replicas=4');
    simulator.model.advance(20_000);
    assert.equal(simulator.model.node(4)?.liveness, 'live');
    assert.equal(simulator.model.nodes().length, 4);
  });

  it('port-forward makes a local port reach the pod’s node', async () => {
    const out = await ok('kubectl port-forward pod/cockroachdb-2 26300:26257 &');
    assert.match(out, /Forwarding from 127\.0\.0\.1:26300 -> 26257/);
    assert.equal(simulator.lab.listener(26300)?.chooseNode(simulator.lab), 3);
    assert.match(await ok('cockroach sql --insecure --port=26300 -e "SELECT crdb_internal.node_id()"'), /^\s+3$/m);
    // A forward of the local 26257 leaves the pods' own addresses alone.
    await ok('kubectl port-forward service/cockroachdb-public 26257 &');
    assert.equal(simulator.lab.listener(26257)?.chooseNode(simulator.lab), 1);
    assert.match(await ok('kubectl exec cockroachdb-1 -- ./cockroach sql --insecure -e "SELECT crdb_internal.node_id()"'), /^\s+2$/m);
    assert.match(await ok('cockroach sql --insecure --host=localhost:26257 -e "SELECT crdb_internal.node_id()"'), /^\s+1$/m);
  });

  it('a node killed inside its pod is a container that exited: the kubelet restarts it', async () => {
    simulator.model.killNode(2);
    assert.deepEqual(pod(await ok('kubectl get pods'), 'cockroachdb-1')?.ready, '0/1');
    simulator.model.advance(10_000);
    assert.equal(simulator.model.node(2)?.liveness, 'live');
    simulator.model.advance(15_000);
    const after = pod(await ok('kubectl get pods'), 'cockroachdb-1');
    assert.equal(after?.ready, '1/1');
    assert.equal(after.restarts, '1');
  });

  it('answers unknown verbs, types and objects as kubectl does', async () => {
    assert.equal((await run('kubectl frobnicate pods')).error, 'error: unknown command "frobnicate" for "kubectl"');
    assert.equal((await run('kubectl get widgets')).error, 'error: the server doesn\'t have a resource type "widgets"');
    assert.equal((await run('kubectl get pod nope')).error, 'Error from server (NotFound): pods "nope" not found');
    assert.equal(
      (await run('kubectl exec cockroachdb-0 ./cockroach sql --insecure')).error,
      'error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead',
    );
    const crd = await run(
      `kubectl apply -f - <<'EOF'\napiVersion: crdb.cockroachlabs.com/v1alpha1\nkind: CrdbCluster\nmetadata:\n  name: cockroachdb\nEOF`,
    );
    assert.match(
      crd.error ?? '',
      /no matches for kind "CrdbCluster" in version "crdb.cockroachlabs.com\/v1alpha1"\nensure CRDs are installed first/,
    );
    assert.equal((await run('kind create cluster')).kind, 'host');
  });

  it('get -w prints the pods once; get all lists each kind; deleting the StatefulSet takes its pods, not their claims', async () => {
    assert.equal(await ok('kubectl get pods -w'), await ok('kubectl get pods'));
    const all = await ok('kubectl get all');
    assert.match(all, /^pod\/cockroachdb-0\s+1\/1\s+Running/m);
    assert.match(all, /^statefulset\.apps\/cockroachdb\s+4\/4/m);
    assert.match(all, /^job\.batch\/cluster-init\s+Complete/m);
    assert.equal(await ok('kubectl delete statefulset cockroachdb'), 'statefulset.apps "cockroachdb" deleted');
    assert.equal(pod(await ok('kubectl get pods'), 'cockroachdb-0')?.status, 'Terminating');
    simulator.model.advance(10_000);
    assert.equal(pod(await ok('kubectl get pods'), 'cockroachdb-0'), undefined);
    assert.deepEqual(
      simulator.model.nodes().map((n) => n.liveness),
      ['dead', 'dead', 'dead', 'dead'],
    );
    assert.equal(rows(await ok('kubectl get pvc')).length, 4);
  });
});

describe('kubernetes: the CockroachDB operator', function () {
  it('a CrdbCluster becomes a secure StatefulSet the operator initializes, once its CRD and the operator are installed', async () => {
    const simulator = await Simulator.start({ nodes: 1 });
    try {
      const lab = simulator.lab;
      const base = 'https://raw.githubusercontent.com/cockroachdb/cockroach-operator/v2.18.1';
      const early = await lab.run(`kubectl apply -f ${base}/examples/example.yaml`);
      assert.match(early.error ?? '', /no matches for kind "CrdbCluster"/);
      assert.equal(
        (await lab.run(`kubectl apply -f ${base}/install/crds.yaml`)).output,
        'customresourcedefinition.apiextensions.k8s.io/crdbclusters.crdb.cockroachlabs.com created',
      );
      assert.match(
        (await lab.run(`kubectl apply -f ${base}/install/operator.yaml`)).output,
        /^deployment\.apps\/cockroach-operator-manager created$/m,
      );
      assert.equal(
        (await lab.run(`kubectl apply -f ${base}/examples/example.yaml`)).output,
        'crdbcluster.crdb.cockroachlabs.com/cockroachdb created',
      );
      simulator.model.advance(60_000);
      const pods = (await lab.run('kubectl get pods')).output;
      for (let i = 0; i < 3; i++) assert.equal(pod(pods, `cockroachdb-${i}`)?.ready, '1/1', pods);
      assert.equal(rows(pods).find((cells) => cells[0]?.startsWith('cockroach-operator-manager-'))?.[2], 'Running');
      assert.deepEqual(
        simulator.model.nodes().map((n) => simulator.addresses.get(n.id)),
        [0, 1, 2].map((i) => `cockroachdb-${i}.cockroachdb.default.svc.cluster.local:26257`),
      );
      assert.equal(
        (await lab.run(`kubectl create -f ${base}/examples/client-secure-operator.yaml`)).output,
        'pod/cockroachdb-client-secure created',
      );
      simulator.model.advance(5000);
      const sql = await lab.run(
        'kubectl exec -it cockroachdb-client-secure -- ./cockroach sql --certs-dir=/cockroach/cockroach-certs --host=cockroachdb-public -e "SELECT 1 AS one"',
      );
      assert.match(sql.output, /one/, sql.error);
    } finally {
      await simulator.close();
    }
  });
});

describe('kubernetes: helm and CockroachDB’s chart', function () {
  it('names objects as the chart does', () => {
    assert.equal(chartFullName('my-release', {}), 'my-release-cockroachdb');
    assert.equal(chartFullName('cockroachdb', {}), 'cockroachdb');
    const objects = renderChart('my-release', { 'statefulset.replicas': '5', 'tls.enabled': 'false' });
    assert.deepEqual(objects.map(objectRef), [
      'poddisruptionbudget.policy/my-release-cockroachdb-budget',
      'service/my-release-cockroachdb-public',
      'service/my-release-cockroachdb',
      'statefulset.apps/my-release-cockroachdb',
      'job.batch/my-release-cockroachdb-init',
    ]);
    const spec = statefulSetSpec(objects[3] as KubeObject);
    assert.equal(spec.replicas, 5);
    assert.equal(spec.cockroach?.insecure, true);
  });

  it('helm install: the release report, its pods, the init job; a secure default', async () => {
    const simulator = await Simulator.start({ nodes: 1 });
    try {
      const lab = simulator.lab;
      const missingRepo = await lab.run('helm install my-release cockroachdb/cockroachdb');
      assert.equal(missingRepo.error, 'Error: INSTALLATION FAILED: repo cockroachdb not found');
      assert.equal((await lab.run('helm repo add cockroachdb https://charts.cockroachdb.com/')).kind, 'host');
      const installed = await lab.run(
        'helm install my-release cockroachdb/cockroachdb --set statefulset.replicas=3 --set tls.enabled=false',
      );
      assert.equal(installed.kind, 'simulated');
      const lines = installed.output.split('\n');
      assert.equal(lines[0], 'NAME: my-release');
      assert.match(lines[1] ?? '', /^LAST DEPLOYED: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
      assert.deepEqual(lines.slice(2, 6), ['NAMESPACE: default', 'STATUS: deployed', 'REVISION: 1', 'NOTES:']);
      assert.match(installed.output, /my-release-cockroachdb-public\.default\.svc\.cluster\.local/);
      simulator.model.advance(60_000);
      const pods = (await lab.run('kubectl get pods')).output;
      for (let i = 0; i < 3; i++) assert.equal(pod(pods, `my-release-cockroachdb-${i}`)?.ready, '1/1', pods);
      assert.equal(simulator.model.nodes().length, 3);
      const sql = await lab.run(
        'kubectl exec my-release-cockroachdb-0 -- ./cockroach sql --insecure --host=my-release-cockroachdb-public -e "SELECT 1 AS one"',
      );
      assert.match(sql.output, /one/);
      const upgraded = await lab.run('helm upgrade my-release cockroachdb/cockroachdb --reuse-values --set statefulset.replicas=4');
      assert.match(upgraded.output, /^Release "my-release" has been upgraded\. Happy Helming!$/m);
      assert.match(upgraded.output, /^REVISION: 2$/m);
      simulator.model.advance(30_000);
      assert.equal(simulator.model.nodes().length, 4);
      assert.equal(
        (await lab.run('helm install my-release cockroachdb/cockroachdb')).error,
        'Error: INSTALLATION FAILED: cannot re-use a name that is still in use',
      );
      assert.equal((await lab.run('helm uninstall my-release')).output, 'release "my-release" uninstalled');
      // The claims stay, as helm leaves a StatefulSet's volumes behind.
      assert.match((await lab.run('kubectl get pvc')).output, /datadir-my-release-cockroachdb-0/);
    } finally {
      await simulator.close();
    }
  });

  it('reads --values files under --set, as helm layers them', async () => {
    const simulator = await Simulator.start({ nodes: 1 });
    try {
      const lab = simulator.lab;
      await lab.run('helm repo add cockroachdb https://charts.cockroachdb.com/');
      await lab.run(
        "cat > my-values.yaml <<'EOF'\nstatefulset:\n  replicas: 5\ntls:\n  enabled: false\nconf:\n  locality: region=us-west1,zone=us-west1-a\nEOF",
      );
      const installed = await lab.run('helm install crdb cockroachdb/cockroachdb --values my-values.yaml --set statefulset.replicas=4');
      assert.equal(installed.kind, 'simulated', installed.error);
      simulator.model.advance(60_000);
      assert.deepEqual(
        simulator.model.nodes().map((n) => n.locality),
        [1, 2, 3, 4].map(() => ({ region: 'us-west1', zone: 'us-west1-a' })),
      );
      const missing = await lab.run('helm install other cockroachdb/cockroachdb -f nope.yaml');
      assert.equal(missing.error, 'Error: INSTALLATION FAILED: open nope.yaml: no such file or directory');
    } finally {
      await simulator.close();
    }
  });

  it('the chart’s default is a secure cluster: an --insecure client is refused', async () => {
    const simulator = await Simulator.start({ nodes: 1 });
    try {
      const lab = simulator.lab;
      await lab.run('helm repo add cockroachdb https://charts.cockroachdb.com/');
      await lab.run('helm install crdb cockroachdb/cockroachdb');
      simulator.model.advance(60_000);
      const refused = await lab.run('kubectl exec crdb-cockroachdb-0 -- ./cockroach sql --insecure -e "SELECT 1"');
      assert.match(refused.error ?? '', /node is running secure mode, SSL connection required/);
      const allowed = await lab.run(
        'kubectl exec crdb-cockroachdb-0 -- ./cockroach sql --certs-dir=/cockroach/cockroach-certs -e "SELECT 1"',
      );
      assert.equal(allowed.kind, 'simulated', allowed.error);
    } finally {
      await simulator.close();
    }
  });
});
