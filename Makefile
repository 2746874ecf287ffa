# Hongyin: `make demo` and `make test` are the two commands a fresh machine needs (Python 3.11+, Node/npm, make).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_WORKERS ?= 2
MANAGE := $(BIN)/python manage.py

.PHONY: setup demo serve test test-fast lint format bench screenshots translations messages clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

hongyin/static/vendor/.built: node_modules/.installed scripts/vendor_assets.py
	$(BIN)/python scripts/vendor_assets.py
	touch $@

translations: $(VENV)/.installed
	$(MANAGE) compile_translations

setup: $(VENV)/.installed hongyin/static/vendor/.built translations

demo: setup
	mkdir -p var
	@echo "==> database: migrations"
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) createcachetable
	@echo "==> static files"
	$(MANAGE) collectstatic --noinput -v0
	@echo "==> demo zone (one line per step: time taken, rows made)"
	$(MANAGE) seed_demo
	$(MAKE) --no-print-directory serve

serve:
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl-C stops the server and the job worker)"
	@$(MANAGE) run_huey --quiet & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(MANAGE) runserver 127.0.0.1:$(PORT) --noreload

test: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(MANAGE) bench $(BENCH_ARGS)

# The load test (scripts/loadtest.sh, docs/deployment.md): gunicorn + PostgreSQL + Redis on the loopback, locust
# headless with a mix of roles; report in var/loadtest/report.txt. LOADTEST_USERS, LOADTEST_SECONDS, LOADTEST_P95_MS.
.PHONY: loadtest loadtest-short
loadtest: $(VENV)/.installed
	BIN=$(CURDIR)/$(BIN) scripts/loadtest.sh

loadtest-short: $(VENV)/.installed
	LOADTEST_USERS=20 LOADTEST_SECONDS=60 BIN=$(CURDIR)/$(BIN) scripts/loadtest.sh

# The production files under deploy/ checked by nginx -t, systemd-analyze verify, gunicorn --check-config, logrotate
# and promtool (apt-get install nginx logrotate prometheus); docs/deployment.md.
.PHONY: prod-check
prod-check:
	BIN=$(CURDIR)/$(BIN) deploy/prod-check.sh

screenshots: setup
	HONGYIN_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q -p no:xdist tests/e2e -k screenshots

# Developers with GNU gettext: refresh the English catalogue after adding strings.
messages:
	$(MANAGE) makemessages -l en --no-obsolete --no-location --ignore ".venv/*" --ignore "node_modules/*"

clean:
	rm -rf $(VENV) node_modules hongyin/static/vendor var/static
