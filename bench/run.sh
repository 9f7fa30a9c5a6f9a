#!/usr/bin/env bash
# npm run bench: every benchmark, one after another (the machine is shared: compare ratios).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/tools.sh code-server node24 peers postgres
source scripts/tools-env.sh
export CRDB_PEERS_DIR=$PEERS_DIR CRDB_NODE24=$NODE24_DIR/bin/node
npm run --silent package >/dev/null
npx tsc -p tsconfig.json
node bench/lint.mjs "${BENCH_RUNS:-5}"
node bench/languageServer.mjs "$CRDB_NODE24" "${BENCH_EDITS:-40}"
node bench/languageServer.mjs node "${BENCH_EDITS:-40}"
node bench/lintScaling.mjs "${BENCH_RUNS:-3}"
node bench/startup.mjs "${BENCH_RUNS:-3}"
node bench/cluster.mjs "${BENCH_RUNS:-3}"
node bench/clusterScaling.mjs
node --expose-gc bench/run.mjs "${BENCH_RUNS:-3}"
node bench/topology.mjs
node bench/format.mjs "${BENCH_RUNS:-3}"
