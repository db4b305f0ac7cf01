#!/usr/bin/env bash
# Runs the product: the bundled Kommo sandbox, the api and the worker, on local PostgreSQL and Redis.
# First run creates .env from .env.example with a freshly generated encryption key.
source "$(dirname "$0")/lib.sh"

ensure_node_modules
if [ ! -f .env ]; then
  say "creating .env (demo configuration on the bundled Kommo sandbox)"
  key="k1:$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')"
  sed "s#^SECRETS_ENCRYPTION_KEYS=.*#SECRETS_ENCRYPTION_KEYS=$key#" .env.example > .env
fi
set -a; source .env; set +a

ensure_services "$DATABASE_URL" "$REDIS_URL"
ensure_database "$DATABASE_URL"
say "building"
npm run -s build
say "migrating the database"
node dist/apps/cli/main migrate

pids=()
cleanup() { trap - INT TERM EXIT; for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup INT TERM EXIT

if [ -n "${KOMMO_API_BASE_URL:-}" ] && [ "${START_SANDBOX:-true}" = true ]; then
  SANDBOX_PORT="$(node -e 'console.log(new URL(process.argv[1]).port||80)' "$KOMMO_API_BASE_URL")" \
    KOMMO_REDIRECT_URI="${KOMMO_REDIRECT_URI:-${PUBLIC_BASE_URL}/kommo/oauth/callback}" \
    KOMMO_UNINSTALL_HOOK_URL="${PUBLIC_BASE_URL}/kommo/uninstall" SANDBOX_MODE=demo \
    node dist/apps/kommo-sandbox/main & pids+=($!)
fi
node dist/apps/worker/main & pids+=($!)
node dist/apps/api/main & pids+=($!)

for _ in $(seq 1 60); do curl -fs "${PUBLIC_BASE_URL}/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
cat <<MSG

  Kommo VoIP integration is running.
    api:            ${PUBLIC_BASE_URL}   (health: ${PUBLIC_BASE_URL}/health/ready)
    Kommo sandbox:  ${KOMMO_API_BASE_URL:-"(none: real Kommo)"}
  Install it into the sandbox's demo account: open ${PUBLIC_BASE_URL}/kommo/install and click "Allow".
  Then: node dist/apps/cli/main accounts:list      (Ctrl-C stops everything)

MSG
wait -n "${pids[@]}"
