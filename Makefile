# Kwint: `make run` serves the demo, `make test` runs the whole suite. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kwint
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run install install-dev test test-fast bench lint format migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The demo: embedded SQLite and a file-system broker unless DATABASE_URL / REDIS_URL are set.
# Idempotent: migrations and seed_demo keep what is there. Ctrl-C stops web, worker and beat.
run: install
	mkdir -p .run/broker .run/broker-processed
	KWINT_ENV=demo $(BIN)/python manage.py migrate --noinput
	KWINT_ENV=demo $(BIN)/python manage.py seed_demo
	KWINT_ENV=demo $(BIN)/honcho -f Procfile.dev start

# The whole suite against the real PostgreSQL and Redis (unit, integration, Celery, browser).
test: install-dev
	KWINT_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest $(PYTEST_ARGS)

# Speed targets live here, never in timed tests.
bench: install-dev
	KWINT_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest benchmarks -p no:cacheprovider -s $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf .run staticfiles
