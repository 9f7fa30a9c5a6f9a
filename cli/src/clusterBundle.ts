// Entry of the one bundle that carries the SQL engine (PGlite), pg-gateway and the simulator:
// dist/cluster/cluster.js. The CLI loads it on use for its cluster commands; the extension starts
// it as the cluster's process, which runs only when started with CHILD_ARGUMENT (see
// cluster/src/api/child.ts), so loading it for a command starts nothing.
import '../../cluster/src/api/child';

export * from './clusterCommands';
