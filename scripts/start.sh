#!/usr/bin/env bash
# npm start: crdb-studio in a real VS Code (code-server, in your browser) on the examples/
# workspace. The first run installs Node 24 and code-server into a cache folder outside the
# repository; later runs start in seconds. Ctrl-C stops it.
#   PORT=9000 npm start    choose the port (default: 8080, or a free one if it is taken)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools-env.sh
source "$root/scripts/tools-env.sh"
say() { printf '\033[1m[crdb-studio]\033[0m %s\n' "$*" >&2; }

bash "$root/scripts/tools.sh" code-server
say "building the extension"
(cd "$root" && node esbuild.mjs)

# One profile for `npm start`, kept between runs (open editors, layout, trusted folders).
profile=${CRDB_START_PROFILE:-$CRDB_TOOLS/start-profile}
mkdir -p "$profile/user-data/User" "$profile/extensions"
if [ ! -f "$profile/user-data/User/settings.json" ]; then
  cat >"$profile/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
JSON
fi
# The extension runs from this checkout: a link in the extensions folder, so a rebuild and a
# window reload pick up changes. Its manifest cache is dropped so code-server rescans.
version=$(node -p "require('$root/package.json').version")
rm -rf "$profile/extensions"/crdb-studio.crdb-studio-* "$profile/extensions/extensions.json"
ln -s "$root" "$profile/extensions/crdb-studio.crdb-studio-$version"

port=${PORT:-8080}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! port_free "$port"; then
  [ -n "${PORT:-}" ] && { say "port $port is taken"; exit 1; }
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
fi

workspace=$root/examples
log=$profile/code-server.log
say "starting code-server $CODE_SERVER_VERSION on 127.0.0.1:$port (log: $log)"
setsid "$NODE24_DIR/bin/node" "$CODE_SERVER_BIN" \
  --bind-addr "127.0.0.1:$port" --auth none \
  --disable-telemetry --disable-update-check --disable-getting-started-override \
  --user-data-dir "$profile/user-data" --extensions-dir "$profile/extensions" \
  "$workspace" >"$log" 2>&1 &
pid=$!
# Stop the whole process group: code-server leaves a file watcher behind otherwise.
trap 'kill -TERM -- -$pid 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 600); do
  if ! kill -0 "$pid" 2>/dev/null; then say "code-server exited; its log:"; cat "$log" >&2; exit 1; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && node -e "fetch('http://127.0.0.1:$port/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    url="http://127.0.0.1:$port/?folder=$workspace"
    say "ready: open $url"
    echo "$url"
    wait "$pid"
    exit $?
  fi
  sleep 0.1
done
say "code-server did not answer in 60 s; its log: $log"
exit 1
