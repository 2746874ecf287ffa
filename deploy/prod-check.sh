#!/usr/bin/env bash
# `make prod-check`: the production files under deploy/ are checked by the tools that will run them.
#
#   gunicorn  --check-config with deploy/gunicorn.conf.py, loading config.wsgi under the production settings
#   Django    manage.py check --deploy under the production settings
#   systemd   systemd-analyze verify on the three units
#   nginx     nginx -t on the site inside a minimal nginx.conf, with a self-signed certificate made for the check
#   logrotate logrotate --debug on deploy/logrotate/hongyin
#   promtool  promtool check rules on deploy/prometheus/alerts.yml
#
# The files name their production paths (/srv/hongyin/app, /etc/ssl/hongyin, /var/log/hongyin); the check runs on
# copies in a temporary folder where those paths point at this checkout and at throwaway files, so no root is needed
# and nothing outside the temporary folder is touched. Needs Debian's nginx, systemd, logrotate and prometheus
# (for promtool): apt-get install nginx logrotate prometheus.
set -euo pipefail
cd "$(dirname "$0")/.."
APP="$(pwd)"
BIN="${BIN:-$APP/.venv/bin}"
DEPLOY="${HONGYIN_DEPLOY_DIR:-$APP/deploy}"            # the tests point it at a broken copy
STEPS="${PROD_CHECK_STEPS:-gunicorn django systemd nginx logrotate promtool}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/hongyin-prod-check.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'prod-check: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is missing: $2"; }

wants() { case " $STEPS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

need openssl "apt-get install openssl"
! wants nginx || need nginx "apt-get install nginx"
! wants systemd || need systemd-analyze "Debian's systemd"
! wants logrotate || need logrotate "apt-get install logrotate"
! wants promtool || need promtool "apt-get install prometheus (for promtool)"
[ -x "$BIN/gunicorn" ] || die "$BIN/gunicorn is missing: run make setup"

# Settings that pass the production checks and exist only for this run.
export DJANGO_SETTINGS_MODULE=config.settings.production
SECRET_KEY="$(openssl rand -hex 40)"
HONGYIN_FIELD_KEY="1:$(openssl rand -hex 16)"
export SECRET_KEY HONGYIN_FIELD_KEY
export ALLOWED_HOSTS=dangjian.example.gov.cn
export DATABASE_URL="sqlite:///$tmp/check.sqlite3"
export STATIC_ROOT="$tmp/static" HONGYIN_MEDIA_ROOT="$tmp/media" HONGYIN_PRIVATE_ROOT="$tmp/private"
export PROMETHEUS_MULTIPROC_DIR="$tmp/prometheus" RUNTIME_DIRECTORY="$tmp/run"
mkdir -p "$RUNTIME_DIRECTORY" "$STATIC_ROOT"
unset REDIS_URL DEBUG

if wants gunicorn; then
  step "gunicorn --check-config (gunicorn.conf.py, config.wsgi)"
  "$BIN/gunicorn" --check-config --config "$DEPLOY/gunicorn.conf.py" config.wsgi:application
  echo "ok"
fi

if wants django; then
  step "manage.py check --deploy (production settings)"
  "$BIN/python" manage.py check --deploy --fail-level WARNING
fi

# The copies: production paths -> this checkout and the temporary folder.
rewrite() {
  sed -e "s#/srv/hongyin/app#$APP#g" \
      -e "s#/etc/ssl/hongyin#$tmp/ssl#g" \
      -e "s#/var/log/hongyin#$tmp/log#g" \
      -e "s#/srv/hongyin/#$tmp/srv/#g" "$1"
}

if wants systemd; then
  step "systemd-analyze verify (systemd/*.service)"
  mkdir -p "$tmp/systemd"
  for unit in "$DEPLOY"/systemd/*.service; do rewrite "$unit" > "$tmp/systemd/$(basename "$unit")"; done
  # verify exits 0 on unknown keys and bad values (it only warns): any message is a failure here.
  (cd "$tmp/systemd" && systemd-analyze verify hongyin-web.service hongyin-scheduler.service hongyin-worker@1.service) \
    > "$tmp/verify.log" 2>&1 || { cat "$tmp/verify.log"; die "systemd-analyze verify failed"; }
  [ ! -s "$tmp/verify.log" ] || { cat "$tmp/verify.log"; die "systemd-analyze verify complained"; }
  echo "ok: hongyin-web.service hongyin-worker@.service hongyin-scheduler.service"
fi

if wants nginx; then
  step "nginx -t (nginx/hongyin.conf, self-signed certificate)"
  mkdir -p "$tmp/ssl" "$tmp/log" "$tmp/nginx/sites" "$tmp/srv/static"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=dangjian.example.gov.cn" \
    -keyout "$tmp/ssl/privkey.pem" -out "$tmp/ssl/fullchain.pem" 2>/dev/null
  rewrite "$DEPLOY/nginx/hongyin.conf" > "$tmp/nginx/sites/hongyin.conf"
  cat > "$tmp/nginx/nginx.conf" <<EOF
# Debian's nginx.conf in miniature: the site is included inside http {}, as from sites-enabled.
pid $tmp/nginx/nginx.pid;
error_log $tmp/log/error.log;
events { worker_connections 768; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $tmp/log/access.log;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    include $tmp/nginx/sites/hongyin.conf;
}
EOF
  nginx -e "$tmp/log/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -t
fi

if wants logrotate; then
  step "logrotate --debug (logrotate/hongyin)"
  mkdir -p "$tmp/logrotate" "$tmp/log"
  # su names the log folder's owner in production (root:adm); here the folder belongs to whoever runs the check.
  rewrite "$DEPLOY/logrotate/hongyin" | sed "s/^\(\s*\)su root adm/\1su $(id -un) $(id -gn)/" > "$tmp/logrotate/hongyin"
  chmod 0644 "$tmp/logrotate/hongyin"
  touch "$tmp/log/nginx-access.log"
  logrotate --debug --state "$tmp/logrotate/state" "$tmp/logrotate/hongyin" > "$tmp/logrotate.log" 2>&1 \
    || { cat "$tmp/logrotate.log"; die "logrotate refused logrotate/hongyin"; }
  ! grep -qi '^error' "$tmp/logrotate.log" || { cat "$tmp/logrotate.log"; die "logrotate reported errors"; }
  echo "ok"
fi

if wants promtool; then
  step "promtool check rules (prometheus/alerts.yml)"
  promtool check rules "$DEPLOY/prometheus/alerts.yml"
fi

printf '\n==> prod-check: all production files pass\n'
