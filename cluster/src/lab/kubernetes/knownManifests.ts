// The manifests CockroachDB publishes for Kubernetes (cloud/kubernetes in its repository), which
// tutorials apply straight from their URL: the lab cannot download them, so it builds objects of
// the same shape — the public and discovery Services, the PodDisruptionBudget, a three-replica
// StatefulSet running `cockroach start`, the Job running `cockroach init`, the secure client pod.
import type { KubeObject } from './manifests';

function object(
  apiVersion: string,
  kind: string,
  name: string,
  body: Record<string, unknown>,
  labels: Record<string, string> = { app: 'cockroachdb' },
): KubeObject {
  return { apiVersion, kind, name, namespace: undefined, labels, body: { apiVersion, kind, metadata: { name, labels }, ...body } };
}

const PORTS = [
  { port: 26257, targetPort: 26257, name: 'grpc' },
  { port: 8080, targetPort: 8080, name: 'http' },
];

const IMAGE = 'cockroachdb/cockroach:v25.2.0';

function statefulSet(secure: boolean): KubeObject[] {
  const objects: KubeObject[] = [];
  if (secure)
    objects.push(
      object('v1', 'ServiceAccount', 'cockroachdb', {}),
      object('rbac.authorization.k8s.io/v1', 'Role', 'cockroachdb', {}),
      object('rbac.authorization.k8s.io/v1', 'RoleBinding', 'cockroachdb', {}),
    );
  objects.push(
    object('v1', 'Service', 'cockroachdb-public', { spec: { ports: PORTS, selector: { app: 'cockroachdb' } } }),
    object('v1', 'Service', 'cockroachdb', {
      spec: { ports: PORTS, publishNotReadyAddresses: true, clusterIP: 'None', selector: { app: 'cockroachdb' } },
    }),
    object('policy/v1', 'PodDisruptionBudget', 'cockroachdb-budget', {
      spec: { selector: { matchLabels: { app: 'cockroachdb' } }, maxUnavailable: 1 },
    }),
    object('apps/v1', 'StatefulSet', 'cockroachdb', {
      spec: {
        serviceName: 'cockroachdb',
        replicas: 3,
        selector: { matchLabels: { app: 'cockroachdb' } },
        podManagementPolicy: 'Parallel',
        template: {
          metadata: { labels: { app: 'cockroachdb' } },
          spec: {
            terminationGracePeriodSeconds: 60,
            containers: [
              {
                name: 'cockroachdb',
                image: IMAGE,
                ports: [
                  { containerPort: 26257, name: 'grpc' },
                  { containerPort: 8080, name: 'http' },
                ],
                readinessProbe: {
                  httpGet: { path: '/health?ready=1', port: 'http' },
                  initialDelaySeconds: 10,
                  periodSeconds: 5,
                  failureThreshold: 2,
                },
                command: [
                  '/bin/bash',
                  '-ecx',
                  `exec /cockroach/cockroach start --logtostderr ${secure ? '--certs-dir /cockroach/cockroach-certs' : '--insecure'} --advertise-host $(hostname -f) --http-addr 0.0.0.0 --join cockroachdb-0.cockroachdb,cockroachdb-1.cockroachdb,cockroachdb-2.cockroachdb --cache $(expr $MEMORY_LIMIT_MIB / 4)MiB --max-sql-memory $(expr $MEMORY_LIMIT_MIB / 4)MiB`,
                ],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          { metadata: { name: 'datadir' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } } },
        ],
      },
    }),
  );
  return objects;
}

function initJob(secure: boolean): KubeObject[] {
  const name = secure ? 'cluster-init-secure' : 'cluster-init';
  return [
    object('batch/v1', 'Job', name, {
      spec: {
        template: {
          spec: {
            restartPolicy: 'OnFailure',
            containers: [
              {
                name,
                image: IMAGE,
                command: [
                  '/cockroach/cockroach',
                  'init',
                  secure ? '--certs-dir=/cockroach-certs' : '--insecure',
                  '--host=cockroachdb-0.cockroachdb',
                ],
              },
            ],
          },
        },
      },
    }),
  ];
}

function clientPod(): KubeObject[] {
  return [
    object('v1', 'Pod', 'cockroachdb-client-secure', {
      spec: { containers: [{ name: 'cockroachdb-client-secure', image: IMAGE, command: ['sleep', '2147483648'] }] },
    }),
  ];
}

// The CockroachDB operator's install files and its example cluster (repository cockroach-operator).
function operatorCrds(): KubeObject[] {
  return [object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'crdbclusters.crdb.cockroachlabs.com', {}, {})];
}

function operatorInstall(): KubeObject[] {
  const labels = { app: 'cockroach-operator' };
  return [
    object('v1', 'Namespace', 'cockroach-operator-system', {}, {}),
    object('v1', 'ServiceAccount', 'cockroach-operator-sa', {}, labels),
    object('rbac.authorization.k8s.io/v1', 'ClusterRole', 'cockroach-operator-role', {}, {}),
    object('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'cockroach-operator-rolebinding', {}, {}),
    object(
      'v1',
      'Service',
      'cockroach-operator-webhook-service',
      { spec: { ports: [{ port: 443, targetPort: 9443 }], selector: labels } },
      labels,
    ),
    object(
      'apps/v1',
      'Deployment',
      'cockroach-operator-manager',
      {
        spec: {
          replicas: 1,
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'cockroach-operator', image: 'cockroachdb/cockroach-operator:v2.18.1' }] },
          },
        },
      },
      labels,
    ),
  ];
}

function operatorExample(): KubeObject[] {
  return [
    object(
      'crdb.cockroachlabs.com/v1alpha1',
      'CrdbCluster',
      'cockroachdb',
      {
        spec: {
          dataStore: {
            pvc: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '60Gi' } }, volumeMode: 'Filesystem' } },
          },
          tlsEnabled: true,
          image: { name: IMAGE },
          nodes: 3,
        },
      },
      {},
    ),
  ];
}

/** The objects of a published CockroachDB manifest, by its file name (URL or a downloaded copy); undefined for others. */
export function knownManifest(source: string): KubeObject[] | undefined {
  const file = source.replace(/[?#].*$/, '').replace(/^.*\//, '');
  if (/cockroach-operator/.test(source) || file === 'example.yaml' || file === 'client-secure-operator.yaml') {
    if (file === 'crds.yaml') return operatorCrds();
    if (file === 'operator.yaml') return operatorInstall();
    if (file === 'example.yaml') return operatorExample();
    if (file === 'client-secure-operator.yaml') return clientPod();
  }
  if (!/cockroach/.test(source) && !['cluster-init.yaml', 'cluster-init-secure.yaml', 'client-secure.yaml'].includes(file))
    return undefined;
  switch (file) {
    case 'cockroachdb-statefulset.yaml':
    case 'cockroachdb-statefulset-insecure.yaml':
      return statefulSet(false);
    case 'cockroachdb-statefulset-secure.yaml':
      return statefulSet(true);
    case 'cluster-init.yaml':
      return initJob(false);
    case 'cluster-init-secure.yaml':
      return initJob(true);
    case 'client-secure.yaml':
    case 'cockroachdb-client-secure.yaml':
      return clientPod();
    default:
      return undefined;
  }
}
