# Two commands set up everything on a fresh machine with Python 3.11:
#   make run   install, migrate, load the seed content, collect static files, serve
#   make test  install, then run every test (on SQLite, and again on PostgreSQL + Redis
#              when those servers answer)
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Where the scale-out suite finds its servers (see README, "When one machine is not enough").
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pushing_away
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# pytest-xdist workers for the SQLite and the PostgreSQL + Redis passes: one a core of the
# 2-core machines CI runs on (the clock runs are already two processes at once).
TEST_WORKERS ?= 2
CHROMIUM ?= /usr/bin/chromium

.PHONY: help install install-test run serve admin test test-sqlite test-scale test-clock faketime chromium checkers check lint clean gettext messages nginx

help:
	@echo "make run    set up and serve the site on http://$(HOST):$(PORT)/"
	@echo "make test   set up and run every test"
	@echo "make admin  create an editor account"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalled whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_seed_content
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo
	@echo "  The site:    http://$(HOST):$(PORT)/"
	@echo "  Editors:     http://$(HOST):$(PORT)/admin/  (create an account first: make admin)"
	@echo "  Stop with Ctrl+C."
	@echo
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c config/gunicorn.conf.py config.wsgi

admin: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createsuperuser

# Debian's Chromium for the browser tests: Playwright cannot download its own browser here.
chromium:
	@command -v $(CHROMIUM) >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's nginx and its brotli module (and openssl) for the proxy tests
# (tests/stack/test_proxy.py), `make bench` and `make observatory`: each starts nginx itself,
# with the shipped site file (deploy/nginx), on ports of its own. The package must not start
# the system's nginx on port 80 meanwhile: a policy-rc.d answering 101 forbids it.
nginx:
	@if [ ! -x /usr/sbin/nginx ] || [ ! -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] \
	    || ! command -v openssl >/dev/null; then \
	  echo "Installing Debian's nginx and its brotli module for the proxy tests..."; \
	  guard=; if [ ! -e /usr/sbin/policy-rc.d ]; then guard=/usr/sbin/policy-rc.d; \
	    printf '#!/bin/sh\nexit 101\n' >$$guard; chmod 755 $$guard; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends nginx libnginx-mod-http-brotli-static openssl >/dev/null; \
	  status=$$?; if [ -n "$$guard" ]; then rm -f $$guard; fi; exit $$status; \
	fi

# The page checkers the tests run: axe-core and the Nu HTML Checker (vnu-jar) from npm, at
# the versions in package-lock.json (reinstalled when either file changes), and Debian's
# Java for vnu.jar. --ignore-scripts: vnu-jar would otherwise try to download a Java.
checkers: node_modules/.installed
	@command -v java >/dev/null || { \
	  echo "Installing Debian's Java for the HTML checker..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's gettext for the translation catalogs: makemessages and compilemessages call its
# xgettext, msgmerge and msgfmt; a test runs makemessages to see the catalogs are current.
gettext:
	@command -v xgettext >/dev/null || { \
	  echo "Installing Debian's gettext for the translation catalogs..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

# The catalogs brought up to date with the code and compiled (README, "Languages"). The
# .mo files are committed: the site runs from a checkout without gettext.
# MESSAGES_LANGUAGE=fr starts a new language's catalog.
MESSAGES_LANGUAGE ?=
messages: install gettext
	$(MANAGE) makemessages $(if $(MESSAGES_LANGUAGE),-l $(MESSAGES_LANGUAGE),--all) --no-obsolete \
	  --add-location file --ignore 'tests/*' --ignore 'bench/*' --ignore 'scripts/*' \
	  --ignore 'staticfiles/*' --ignore 'node_modules/*' --ignore 'media/*'
	$(MANAGE) compilemessages --ignore '.venv' --ignore 'node_modules'

# Debian's faketime for test-clock: it moves the clock of everything it starts.
faketime:
	@command -v faketime >/dev/null || { \
	  echo "Installing Debian's faketime for the clock runs..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null; }

check: install-test
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/ruff check .

test-sqlite: install-test chromium checkers gettext nginx
	$(BIN)/pytest -n $(TEST_WORKERS)

# The same suite on the servers a bigger deployment uses; skipped (and said so) only when
# they do not answer.
test-scale: install-test chromium checkers gettext nginx
	@if $(BIN)/python scripts/servers_answer.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"; then \
	  DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(BIN)/pytest -n $(TEST_WORKERS); \
	else \
	  echo "PostgreSQL or Redis does not answer: the scale-out suite was not run."; \
	fi

# Tests own their clock: the suite again with the real clock moved (scripts/clock_runs.sh).
test-clock: install-test faketime gettext
	scripts/clock_runs.sh $(BIN)/pytest tests --ignore=tests/browser --ignore=tests/stack -p no:cacheprovider

test: check test-sqlite test-clock test-scale

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Figures for the production set-up on this machine: wrk on nine pages against two
# ceilings (nginx, a ten-line WSGI app), worker memory, start-up time, Lighthouse. It
# prints them and never fails on slow ones (bench/README.md).
.PHONY: bench
bench: install chromium nginx bench/node_modules/.installed
	@bash bench/install-tools.sh
	$(BIN)/python bench/run.py
	@if [ "$(BENCH_SEARCH)" != 0 ]; then $(BIN)/python bench/search_bench.py --articles 200 --runs 30; fi

# Lighthouse alone (bench/lighthouse_alone.py): the article, a step and a result, mobile and
# desktop, on the site as `make bench` sets it up; about three minutes.
.PHONY: bench-lighthouse
bench-lighthouse: install chromium bench/node_modules/.installed
	$(BIN)/python bench/lighthouse_alone.py

bench/node_modules/.installed: bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund --loglevel=error
	@touch $@

# Search latency (bench/search_bench.py): 1,000 generated articles the size of the seed on
# SQLite and on PostgreSQL (127.0.0.1:5432, user postgres; throwaway databases), p50/p95/p99
# of advice.search.search() for single words, two words, a phrase and a misspelt word.
# `make bench` runs a smaller version (200 articles; BENCH_SEARCH=0 skips it). Options
# through BENCH_SEARCH_ARGS, e.g. "--only sqlite --articles 100".
BENCH_SEARCH ?= 1
BENCH_SEARCH_ARGS ?=
.PHONY: bench-search
bench-search: install
	$(BIN)/python bench/search_bench.py $(BENCH_SEARCH_ARGS)

# Editors' statistics at scale (bench/stats_bench.py): a million generated sessions on
# SQLite and on PostgreSQL (127.0.0.1:5432, user postgres; throwaway databases), the
# statistics page for the full range, and the article and result pages with 100 and with a
# million sessions. Takes about 15 minutes; prints figures and never fails on slow ones.
# Options through BENCH_STATS_ARGS, e.g. "--only sqlite --sessions 200000".
BENCH_STATS_ARGS ?=
.PHONY: bench-stats
bench-stats: install
	$(BIN)/python bench/stats_bench.py $(BENCH_STATS_ARGS)

# The site's MDN HTTP Observatory grade: gunicorn with the production settings behind nginx
# terminating TLS on 127.0.0.1:80 and :443 (throwaway self-signed certificate), scanned by
# the version in bench/observatory/package-lock.json. Needs root and free ports 80 and 443;
# installs nginx, openssl and the scanner when missing (bench/observatory/run.py).
.PHONY: observatory
observatory: install nginx
	$(BIN)/python bench/observatory/run.py
