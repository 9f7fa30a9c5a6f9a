# Where crdb-studio's external tools live, pinned. Sourced by the scripts, and read by the tests
# through test/support/tools.ts, so both sides always agree.
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CRDB_TOOLS=${CRDB_STUDIO_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/crdb-studio-tools}
NODE24_DIR=$CRDB_TOOLS/node-$NODE24_VERSION
CODE_SERVER_DIR=$CRDB_TOOLS/code-server-$CODE_SERVER_VERSION
CODE_SERVER_BIN=$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js
# Peer linters the benchmark compares against (not dependencies of the project).
SQUAWK_VERSION=2.66.0
POSTGRESTOOLS_VERSION=0.25.7
# The formatter library bench/format.mjs measures ours beside.
SQL_FORMATTER_VERSION=15.9.0
PEERS_DIR=$CRDB_TOOLS/peers-squawk-$SQUAWK_VERSION-postgrestools-$POSTGRESTOOLS_VERSION-sql-formatter-$SQL_FORMATTER_VERSION
