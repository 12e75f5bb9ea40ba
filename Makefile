# Jingpin: `make run` (embedded mode on 127.0.0.1:8000) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQ_HASH := $(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-10)
STAMP := $(VENV)/.installed-$(REQ_HASH)
RUN_PKGS := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
TEST_PKGS := $(RUN_PKGS) chromium poppler-utils
PYTEST_ARGS ?=

.PHONY: run test fuzz sysdeps testdeps venv lint format bench worker beat clean

run: sysdeps venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

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

worker: venv
	$(BIN)/celery -A config worker -l info

beat: venv
	$(BIN)/celery -A config beat -l info

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles test-output
