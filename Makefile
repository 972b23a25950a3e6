# wagtail-kis: `make run` starts the demo site, `make test` runs every test.

PYTHON ?= python3
VENV ?= .venv
EXTRAS ?= postgres,redis,server,production,headless,test
# Extra pip requirement, e.g. DJANGO="Django>=6.1,<6.2" for the Django 6.1 leg.
DJANGO ?=
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PORT_PRODUCTION ?= 8001

.PHONY: run serve-production test test-scaleout test-plugin install chromium lint check clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]" $(if $(DJANGO),"$(DJANGO)")
	@touch $(STAMP)

install: $(STAMP)

# The server's own address in e-mailed admin links and the API's detail_url, unless set.
run: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) kis_demo --demo-login --port $(PORT)
	$(MANAGE) kis_purge --schedule
	@echo ""
	@echo "  Nysa:               http://$(HOST):$(PORT)/"
	@echo "  Kędzierzyn-Koźle:   http://kedzierzyn-kozle.localhost:$(PORT)/"
	@echo "  Admin:              http://$(HOST):$(PORT)/admin/  (password for every login: kis-demo)"
	@echo "    admin                       everything"
	@echo "    moderator-nysa              the enquiries of Nysa only"
	@echo "    moderator-kedzierzyn-kozle  the enquiries of Kędzierzyn-Koźle only"
	@echo "  Stop with Ctrl+C."
	@echo ""
	@$(MANAGE) kis_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# Production settings on loopback against the local PostgreSQL and Redis: two gunicorn
# workers, a kis_worker and a stand-in mail server (see README, Running in production).
serve-production: install
	$(BIN)/python -m bench.serve_production --port $(PORT_PRODUCTION)

chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium. Install it with:  sudo apt-get install -y chromium"; \
	    exit 1; \
	  fi; }

test: install chromium
	$(BIN)/pytest tests --ignore=tests/browser --ignore=tests/scaleout --ignore=tests/plugin
	$(BIN)/pytest tests/browser

# The built wheel alone in a fresh `wagtail start` site, wired as the README says: builds
# sdist and wheel, checks their files, runs tests/plugin there (PYTHON= and DJANGO= as above).
test-plugin: chromium
	DJANGO="$(DJANGO)" tests/plugin/run_plugin_leg.sh "$(PYTHON)"

# App servers and task workers on loopback, on the PostgreSQL of DATABASE_URL and the Redis
# of REDIS_URL (its database 3); fails rather than skips when either is missing.
test-scaleout: install
	KIS_SCALEOUT_REQUIRED=1 $(BIN)/pytest tests/scaleout --durations=0

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=".venv*"

clean:
	rm -rf .venv .venv-* db.sqlite3
