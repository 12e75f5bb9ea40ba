# Jingpin: `make run` (embedded mode on 127.0.0.1:8000; `make run PORT=8080` for another port) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQ_HASH := $(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-10)
STAMP := $(VENV)/.installed-$(REQ_HASH)
RUN_PKGS := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
TEST_PKGS := $(RUN_PKGS) chromium poppler-utils
PYTEST_ARGS ?=
BACKUP_DIR ?= backups
BACKUP_KEEP ?= 14
PORT ?= 8000
SOAK_MINUTES ?= 10
SOAK_CLIENTS ?= 20

.PHONY: run test smoke fuzz sysdeps testdeps venv lint format bench worker beat backup pitr-drill soak clean

run: sysdeps venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: testdeps venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

fuzz: venv
	scripts/api-fuzz

sysdeps:
	@scripts/ensure-debian-packages.sh $(RUN_PKGS)

testdeps:
	@scripts/ensure-debian-packages.sh $(TEST_PKGS)

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: sysdeps venv
	$(BIN)/python -m bench

# 20 clients for 10 minutes on the production stack (bench/soak.py): errors, p50/p99, web and worker RSS.
soak: sysdeps venv
	$(BIN)/python -m bench.soak --minutes $(SOAK_MINUTES) --clients $(SOAK_CLIENTS)

# The worker and beat run under scripts/serve-production's supervisor (restarted if they exit), as in production.
worker: venv
	PYTHON=$(BIN)/python scripts/serve-production worker

beat: venv
	PYTHON=$(BIN)/python BEAT_SCHEDULE_FILE=celerybeat-schedule scripts/serve-production beat

# The production stack (gunicorn, worker, beat with production settings) against the local PostgreSQL and Redis.
smoke: testdeps venv
	PYTHON=$(BIN)/python scripts/smoke-production

# Database + media files into $(BACKUP_DIR)/, keeping the newest $(BACKUP_KEEP) archives (README: Backup and restore).
pitr-drill:
	scripts/pitr-drill

backup: venv
	$(BIN)/python manage.py backup --output $(BACKUP_DIR)/ --keep $(BACKUP_KEEP)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles test-output
