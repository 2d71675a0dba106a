# Kwint: `make run` serves the demo, `make test` runs the whole suite. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kwint
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# The tests empty the cache (rate-limit counters) before each test: two runs at once on one
# machine need a cache database each, or one run's FLUSHDB resets the other's counters mid-test.
TEST_REDIS_CACHE_URL ?= redis://127.0.0.1:6379/15

.PHONY: run install install-dev test bench lint format messages css js lighthouse load clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "Kwint needs Python 3.11 or newer; $(PYTHON) is older. Try: make run PYTHON=python3.12" >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Could not create a virtualenv. On Debian/Ubuntu: apt-get install python3-venv" >&2; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The demo: embedded SQLite and a file-system broker (under .run/) unless DATABASE_URL /
# REDIS_URL are set. DEBUG off as in production, so static files are collected first (WhiteNoise
# serves them from staticfiles/). Idempotent: migrate and seed_demo keep what is there. Ctrl-C stops web,
# worker and beat together (honcho).
run: install
	KWINT_ENV=demo $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	KWINT_ENV=demo $(BIN)/python manage.py migrate --noinput
	KWINT_ENV=demo $(BIN)/python manage.py seed_demo
	@echo "Kwint: http://127.0.0.1:8000/ (demo logins: README.md; Ctrl-C stops web, worker and beat)"
	KWINT_ENV=demo $(BIN)/honcho -f Procfile.dev start

# The whole suite against the real PostgreSQL and Redis (unit, integration, Celery, browser).
# First scripts/prepare_test_env.py starts a local PostgreSQL / Redis that is down and finds or
# installs Chromium (or says in one line what to install; the browser tests are then skipped).
# pytest exits 5 when it collected no test: that is a failure here, never a silent pass.
test: install-dev
	@$(BIN)/python scripts/prepare_test_env.py --python $(BIN)/python --database-url $(TEST_DATABASE_URL) \
		--redis-url $(TEST_REDIS_URL) --redis-url $(TEST_REDIS_CACHE_URL)
	@KWINT_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) REDIS_CACHE_URL=$(TEST_REDIS_CACHE_URL) \
		$(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: no tests were collected" >&2; exit 1; fi; \
	exit $$status

# Speed measurements on PostgreSQL (benchmarks/README.md). Never part of `make test`.
bench: install-dev
	KWINT_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
		$(BIN)/pytest benchmarks -p no:cacheprovider -s -q $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Translations: collect every {% translate %} / gettext string into locale/en, then compile.
# Needs GNU gettext (apt-get install gettext). The compiled .mo is committed: CI has no msgfmt.
messages: install
	KWINT_ENV=development $(BIN)/python manage.py makemessages -l en --no-location --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=benchmarks --ignore=tests --ignore='*/locale'
	KWINT_ENV=development $(BIN)/python manage.py compilemessages -l en --ignore=.venv

# Bootstrap trimmed to the classes the pages use (PurgeCSS, Node tools pinned in
# benchmarks/frontend/package.json). The result is committed: run this after adding a Bootstrap
# class that no template, script or form used before (tests/test_static_assets.py says which).
# Content: our templates, Python that renders HTML, our scripts, and the crispy-bootstrap5
# templates that `|crispy` and `as_crispy_field` render (no FormHelper layouts are used), Django's
# widget templates, and benchmarks/frontend/dynamic.html (what scripts add at run time).
# npm ci runs there once; after a change to its package-lock.json, rm -r its node_modules.
FRONTEND := benchmarks/frontend
css: install
	[ -d $(FRONTEND)/node_modules ] || (cd $(FRONTEND) && npm ci --no-audit --no-fund --silent)
	CRISPY=$$($(BIN)/python -c 'import crispy_bootstrap5, pathlib; print(pathlib.Path(crispy_bootstrap5.__file__).parent / "templates/bootstrap5")') && \
	WIDGETS=$$($(BIN)/python -c 'import django.forms, pathlib; print(pathlib.Path(django.forms.__file__).parent / "templates/django/forms/widgets")') && \
	node $(FRONTEND)/trim-css.mjs static/vendor/bootstrap/css/bootstrap.min.css \
		static/vendor/bootstrap/css/bootstrap.kwint.min.css \
		'templates/**/*.html' '*/templatetags/*.py' '*/forms.py' '*/views.py' 'kwint/lib/**/*.py' 'static/js/*.js' \
		$(FRONTEND)/dynamic.html "$$WIDGETS/*.html" \
		$$CRISPY/field.html $$CRISPY/uni_form.html $$CRISPY/display_form.html $$CRISPY/errors.html \
		"$$CRISPY/layout/{attrs,field_errors,field_errors_block,field_file,help_text,help_text_and_errors,radio_checkbox_select}.html"

# The two Bootstrap plugins the pages use (collapse, dropdown + Popper) bundled by esbuild instead
# of the whole 80 KB bundle; committed like the CSS. Entry: benchmarks/frontend/bootstrap-kwint.js.
js:
	[ -d $(FRONTEND)/node_modules ] || (cd $(FRONTEND) && npm ci --no-audit --no-fund --silent)
	cd $(FRONTEND) && node_modules/.bin/esbuild bootstrap-kwint.js --bundle --minify --format=iife \
		--target=es2019 --legal-comments=none --log-level=warning \
		--banner:js='/*! Bootstrap v5.3.9 collapse + dropdown (MIT, The Bootstrap Authors) with Popper v2.11.8 (MIT, Federico Zivolo); built by `make js` */' \
		--outfile=../../static/vendor/bootstrap/js/bootstrap.kwint.min.js

# Browser-side measurements (benchmarks/README.md), never part of `make test`: Lighthouse on the
# login, caseload and student pages; 50 coaches browsing at once. Each needs DATABASE_URL (its
# own PostgreSQL database); see the docstring at the top of each script.
lighthouse: install-dev
	$(BIN)/python -m benchmarks.lighthouse $(ARGS)

load: install-dev
	$(BIN)/python -m benchmarks.load $(ARGS)

clean:
	rm -rf .run staticfiles
