#!/usr/bin/env bash
# The whole test suite: static checks, unit tests, integration/e2e tests on real PostgreSQL and Redis.
# Prints a closing line "N passed, N failed" (jest tests + one per static check).
source "$(dirname "$0")/lib.sh"

export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/kommo_voip_test}"
export REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}"
ensure_services "$DATABASE_URL" "$REDIS_URL"
ensure_node_modules
ensure_chromium
ensure_sip_tools

OUT="$(mktemp -d)"
passed=0; failed=0; failures=()
check() {
  local name="$1"; shift
  say "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

drift_check() {
  local url="${DATABASE_URL%/*}/kommo_voip_drift_test"
  node -e '
    const { Client } = require("pg"); const url = new URL(process.argv[1]); const name = url.pathname.slice(1); url.pathname = "/postgres";
    const c = new Client({ connectionString: url.toString() });
    c.connect().then(async () => { await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); await c.query(`CREATE DATABASE "${name}"`); await c.end(); });
  ' "$url" &&
    DATABASE_URL="$url" npm run -s typeorm -- migration:run >"$OUT/migrate.log" 2>&1 &&
    DATABASE_URL="$url" npm run -s migration:check >"$OUT/drift.log" 2>&1 ||
    { cat "$OUT/migrate.log" "$OUT/drift.log" 2>/dev/null | tail -40; echo "Entities and migrations differ: run npm run migration:generate" >&2; return 1; }
}

jest_run() {
  local name="$1" config="$2"; shift 2
  say "$name"
  npx jest -c "$config" --json --outputFile="$OUT/$name.json" "$@" || true
  if [ -f "$OUT/$name.json" ]; then
    read -r p f < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests+" "+(r.numFailedTests+r.numRuntimeErrorTestSuites+(r.numTotalTests===0?1:0)))' "$OUT/$name.json")
    passed=$((passed + p)); failed=$((failed + f))
    [ "$f" = 0 ] || failures+=("$name")
  else
    failed=$((failed + 1)); failures+=("$name (no report)")
  fi
}

check typecheck npm run -s typecheck
check lint npm run -s lint
check deps:validate npm run -s deps:validate
check migrations-drift drift_check
check build npm run -s build
jest_run unit jest.config.js
jest_run e2e jest.e2e.config.js --runInBand
# Fault suite: the built product as processes on a Redis and a PostgreSQL it starts, kills and restarts itself.
# CI runs the scenarios that fit the time budget; `npm run test:faults` runs all of them (README, Operations).
FAULTS_SUBSET=ci jest_run faults jest.faults.config.js --runInBand

[ ${#failures[@]} -eq 0 ] || warn "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
