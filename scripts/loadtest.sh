#!/usr/bin/env bash
# The load test (issue 16 item 5; docs/deployment.md "Load test"): gunicorn + PostgreSQL + Redis on the loopback,
# locust headless with a mix of roles (deploy/loadtest/locustfile.py), bounded in users and time.
#
#   LOADTEST_USERS (200)  LOADTEST_SECONDS (300)  LOADTEST_P95_MS (500)  LOADTEST_PORT (8201)
#   LOADTEST_DB (hongyin_loadtest)  LOADTEST_PG (postgres://postgres@127.0.0.1:5432)  LOADTEST_REDIS (redis://127.0.0.1:6379/5)
#   LOADTEST_ALONE_SECONDS (15): one user of each role in turn, alone on the server, for this long each that measures each page "alone" first (0 skips it)
#
# Writes var/loadtest/: load_*.csv and alone-<class>_*.csv (locust), gunicorn.log, report.txt. Exits non-zero when any
# request failed or a page's p95 under load is above LOADTEST_P95_MS.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${BIN:-$ROOT/.venv/bin}
USERS=${LOADTEST_USERS:-200}
SECONDS_=${LOADTEST_SECONDS:-300}
P95_MS=${LOADTEST_P95_MS:-500}
PORT=${LOADTEST_PORT:-8201}
ALONE_SECONDS=${LOADTEST_ALONE_SECONDS:-15}
DB=${LOADTEST_DB:-hongyin_loadtest}
PG=${LOADTEST_PG:-postgres://postgres@127.0.0.1:5432}
OUT=$ROOT/var/loadtest
mkdir -p "$OUT"

# The demo settings (config.settings.local: demo accounts are allowed, production refuses them) on PostgreSQL and
# Redis, with persistent checked connections as in production.
export DJANGO_SETTINGS_MODULE=config.settings.local
export DATABASE_URL="$PG/$DB?conn_max_age=60&conn_health_checks=true"
export REDIS_URL=${LOADTEST_REDIS:-redis://127.0.0.1:6379/5}
export HONGYIN_MEDIA_ROOT=$OUT/media HONGYIN_PRIVATE_ROOT=$OUT/private HONGYIN_JOBS_ROOT=$OUT/jobs
MANAGE="$BIN/python manage.py"

# The database: created, migrated and seeded with the demo zone once; reused while the migrations are the ones it
# was built from (their digest is kept in var/loadtest/seeded) and none is unapplied. LOADTEST_REBUILD=1 rebuilds it.
digest=$(git ls-files 'hongyin/*/migrations/*.py' | sort | xargs cat | sha256sum | cut -c1-16)
admin_url="$PG/postgres"
exists=$(psql "$admin_url" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'")
if [[ "${LOADTEST_REBUILD:-0}" != 1 && "$exists" == 1 && "$(cat "$OUT/seeded" 2>/dev/null)" == "$digest" ]] && $MANAGE migrate --check >/dev/null 2>&1; then
  echo "==> database $DB is current (reused)"
else
  echo "==> database $DB: create, migrate, seed the demo zone (a few minutes, once)"
  rm -f "$OUT/seeded"
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  $MANAGE migrate --noinput -v0
  $MANAGE createcachetable
  $MANAGE seed_demo --quiet
  echo "$digest" >"$OUT/seeded"
fi
# Fresh planner statistics: right after the seed autovacuum has not analyzed the tables yet, and PostgreSQL then
# plans from empty-table estimates (the dues arrears panel took 950 ms of the zone's workbench, 20 ms analyzed).
psql "$PG/$DB" -qc "VACUUM ANALYZE"
redis-cli -u "$REDIS_URL" FLUSHDB >/dev/null  # rate-limit counters and cache of an earlier run

# Sessions made once per simulated user (no login form, so the lockout is never near): var/loadtest/sessions.json.
"$BIN/python" deploy/loadtest/make_sessions.py --users "$USERS" --out "$OUT/sessions.json"

# gunicorn with the production config, on the loopback only.
GUNICORN_PID=""
stop() {
  if [[ -n "$GUNICORN_PID" ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
}
trap stop EXIT INT TERM
export HONGYIN_BIND=127.0.0.1:$PORT PROMETHEUS_MULTIPROC_DIR=$OUT/prometheus
# Keep-alive longer than the longest pause (LOADTEST_WAIT, 9 s): locust reuses a connection the way a browser does
# but does not retry when gunicorn closes it at that very moment (keepalive 5 s: "Connection reset by peer" on ~1%
# of requests of the 200-user run, reproduced with pauses of 5 s). In production nginx holds the clients'
# connections and retries an idempotent request on a closed upstream connection, so none of this reaches a user.
"$BIN/gunicorn" -c deploy/gunicorn.conf.py --keep-alive "${LOADTEST_KEEPALIVE:-30}" --access-logfile "$OUT/access.log" --error-logfile "$OUT/gunicorn.log" \
  config.wsgi:application &
GUNICORN_PID=$!
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "gunicorn did not start: $OUT/gunicorn.log"; tail -20 "$OUT/gunicorn.log"; exit 1; }
  sleep 0.5
done
echo "==> gunicorn on 127.0.0.1:$PORT (pid $GUNICORN_PID)"

export LOADTEST_SESSIONS=$OUT/sessions.json
classes() { "$BIN/python" -c 'import sys; sys.path.insert(0, "deploy/loadtest"); from mix import MIX; print(*MIX)'; }
cls_count() { classes | wc -w; }
run_locust() {  # name users seconds [user classes]
  local name=$1 users=$2 secs=$3
  shift 3
  rm -f "$OUT/$name"_*.csv
  "$BIN/locust" -f deploy/loadtest/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
    -u "$users" -r "$((users < 20 ? users : users / 10))" -t "${secs}s" --stop-timeout 10 --only-summary \
    --csv "$OUT/$name" --exit-code-on-error 0 --loglevel WARNING "$@" >"$OUT/$name.log" 2>&1 || true
}
# Every worker imports, compiles its templates and opens its connections before anything is measured.
echo "==> warm-up: one user of each role, ${LOADTEST_WARMUP_SECONDS:-10}s"
LOADTEST_ALONE=1 run_locust warmup "$(cls_count)" "${LOADTEST_WARMUP_SECONDS:-10}"
rm -f "$OUT"/alone-*.csv
if [[ "$ALONE_SECONDS" -gt 0 ]]; then
  echo "==> alone: one user of each role in turn, ${ALONE_SECONDS}s each"
  for cls in $(classes); do
    LOADTEST_ALONE=1 run_locust "alone-$cls" 1 "$ALONE_SECONDS" "$cls"
  done
fi
echo "==> load: $USERS users for ${SECONDS_}s"
run_locust load "$USERS" "$SECONDS_"
stop
trap - EXIT INT TERM

"$BIN/python" deploy/loadtest/report.py --dir "$OUT" --p95-ms "$P95_MS" --users "$USERS" --seconds "$SECONDS_" \
  | tee "$OUT/report.txt"
exit "${PIPESTATUS[0]}"
