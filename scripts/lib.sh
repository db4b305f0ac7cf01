# Shared helpers of scripts/start.sh and scripts/test.sh. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ -z "${APT_UPDATED:-}" ]; then as_root apt-get update -qq >/dev/null || return 1; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

pg_host_port() { node -e 'const u=new URL(process.argv[1]);console.log(u.hostname+" "+(u.port||5432))' "$1"; }

# PostgreSQL and Redis reachable at DATABASE_URL / REDIS_URL: started here when installed locally
# (installed first from Debian packages when missing and we are root); otherwise a one-line hint.
ensure_services() {
  local db_url="$1" redis_url="$2" host port
  read -r host port < <(pg_host_port "$db_url")
  if ! pg_isready -q -h "$host" -p "$port" 2>/dev/null; then
    if ! command -v pg_ctlcluster >/dev/null; then
      say "PostgreSQL not found: installing it"
      apt_install postgresql postgresql-client || true
    fi
    if command -v pg_ctlcluster >/dev/null; then
      say "starting PostgreSQL"
      as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
    fi
    for _ in $(seq 1 30); do pg_isready -q -h "$host" -p "$port" 2>/dev/null && break; sleep 0.5; done
  fi
  if ! pg_isready -q -h "$host" -p "$port" 2>/dev/null; then
    echo "PostgreSQL is not reachable at $host:$port. Start it, e.g.: docker compose up -d postgres redis" >&2
    exit 1
  fi
  read -r host port < <(node -e 'const u=new URL(process.argv[1]);console.log(u.hostname+" "+(u.port||6379))' "$redis_url")
  if ! redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1; then
    if ! command -v redis-server >/dev/null; then
      say "Redis not found: installing it"
      apt_install redis-server redis-tools || true
    fi
    if command -v redis-server >/dev/null; then
      say "starting Redis"
      mkdir -p /tmp/kommo-voip-redis
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$port" --save "" --appendonly no \
        --dir /tmp/kommo-voip-redis --logfile /tmp/kommo-voip-redis/redis.log >/dev/null || true
    fi
    for _ in $(seq 1 30); do redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1 && break; sleep 0.3; done
  fi
  if ! redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1; then
    echo "Redis is not reachable at $host:$port. Start it, e.g.: docker compose up -d postgres redis" >&2
    exit 1
  fi
}

# Creates the database named in the URL when missing.
ensure_database() {
  node -e '
    const { Client } = require("pg");
    const url = new URL(process.argv[1]); const name = url.pathname.slice(1); url.pathname = "/postgres";
    const c = new Client({ connectionString: url.toString() });
    c.connect().then(async () => {
      const r = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (r.rowCount === 0) await c.query(`CREATE DATABASE "${name}"`);
      await c.end();
    }).catch((e) => { console.error("cannot create database " + name + ": " + e.message); process.exit(1); });
  ' "$1"
}

# npm ci when node_modules is missing or older than the lock file.
ensure_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ -n "${CI:-}" -a -z "${SKIP_NPM_CI:-}" ]; then
    say "installing dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Debian Chromium for the browser tests (installed with apt-get when missing and we are root).
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium for the browser tests"
    apt_install chromium || warn "could not install chromium: the browser tests will fail"
  fi
}

# Kamailio (SIP proxy) and SIPp for the real-SIP generic PBX tests in test/sip (installed when missing and we are root).
ensure_sip_tools() {
  if ! command -v kamailio >/dev/null || ! command -v sipp >/dev/null || ! ls /usr/lib/*/kamailio/modules/http_client.so /usr/lib/*/kamailio/modules/app_python3.so >/dev/null 2>&1; then
    say "installing Kamailio and SIPp for the SIP tests"
    apt_install kamailio kamailio-utils-modules kamailio-python3-modules sip-tester || warn "could not install kamailio/sip-tester: the SIP tests will fail"
  fi
}
