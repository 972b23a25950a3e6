# wagtail-kis: `make run` starts the demo site, `make test` runs every test.

PYTHON ?= python3
VENV ?= .venv
EXTRAS ?= postgres,redis,server,production,test
# Extra pip requirement, e.g. DJANGO="Django>=6.1,<6.2" for the Django 6.1 leg.
DJANGO ?=
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install chromium lint check clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]" $(if $(DJANGO),"$(DJANGO)")
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) kis_demo --demo-login
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
	@$(MANAGE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

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
	$(BIN)/pytest tests --ignore=tests/browser
	$(BIN)/pytest tests/browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=".venv*"

clean:
	rm -rf .venv .venv-* db.sqlite3
