#!/usr/bin/env bash
# npm test: every check, in the order a failure is cheapest to read. Installs what the tests need
# (code-server + Node 24, Chromium) when missing. Runs every stage even after a failure, then
# prints one closing line 'N passed, N failed' over all of them and exits non-zero on any failure.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 2

stats=$(mktemp)
trap 'rm -f "$stats"' EXIT
export CRDB_TEST_STATS=$stats
failed_stages=()
unreported_failures=0
started=$SECONDS

stage() {
  local name=$1; shift
  printf '\n\033[1m== %s ==\033[0m\n' "$name"
  local t0=$SECONDS reported
  reported=$(wc -l <"$stats")
  if CRDB_TEST_STAGE=$name "$@"; then
    printf '== %s: ok (%d s)\n' "$name" $((SECONDS - t0))
  else
    printf '== %s: FAILED (%d s)\n' "$name" $((SECONDS - t0))
    failed_stages+=("$name")
    # A stage that failed without reporting failed tests (a crash, a type error) counts as one.
    if ! tail -n +"$((reported + 1))" "$stats" | grep -q '"failures":[1-9]'; then unreported_failures=$((unreported_failures + 1)); fi
  fi
}

stage tools bash scripts/tools.sh code-server chromium neovim postgres
stage typecheck bash -c 'npx tsc -p tsconfig.json && npx tsc -p webview/tsconfig.json'
stage eslint npx eslint --max-warnings 0 .
stage format npx prettier --check --log-level warn .
stage package npm run --silent package
# The unit stage needs no earlier stage's dist/: its mocha global setup (test/support/bundles.ts)
# builds one when dist/ is missing or stale, and keeps the package stage's when it is current.
stage unit npx mocha 'out/test/unit/**/*.test.js'
stage e2e npx mocha --timeout 300000 'out/test/e2e/**/*.test.js'

passes=0; failures=0; skipped=0
while IFS= read -r line; do
  passes=$((passes + $(node -p "JSON.parse(process.argv[1]).passes" "$line")))
  failures=$((failures + $(node -p "JSON.parse(process.argv[1]).failures" "$line")))
  skipped=$((skipped + $(node -p "JSON.parse(process.argv[1]).pending" "$line")))
done <"$stats"

printf '\n'
[ ${#failed_stages[@]} -gt 0 ] && printf 'failed stages: %s\n' "${failed_stages[*]}"
printf 'npm test took %d s\n' $((SECONDS - started))
if [ "$skipped" -gt 0 ]; then
  printf 'SKIPPED TESTS: %d test(s) did not run; the suite must not pass by skipping\n' "$skipped"
  failed_stages+=(skipped)
fi
if [ "$passes" -eq 0 ]; then
  printf 'no test ran\n'
  failed_stages+=(none-ran)
fi
# Failed stages that reported no failed test count too, so the closing line never reads clean by mistake.
failures=$((failures + unreported_failures))
printf 'total: %d passed, %d failed\n' "$passes" "$failures"
[ ${#failed_stages[@]} -eq 0 ] && [ "$failures" -eq 0 ]
