# The index of commands. Quick start: `make run` (portal with demo data), `make test` (everything CI runs).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Test processes (pytest-xdist; a file's tests stay together on one): one per core.
TEST_WORKERS ?= $(shell nproc)
DEV_ENV := DEBUG=on
# Production-like values for `check --deploy` come from .env.example, not from a developer's .env; its secrets are
# placeholders that the portal refuses, so random ones are drawn for the check (a deploy with the example's fails).
DEPLOY_ENV := $(shell grep -v '^\s*\#' .env.example | grep '=' | xargs) \
	SECRET_KEY=$(shell python3 -c 'import secrets; print(secrets.token_urlsafe(64))') \
	IDENTIFIER_HASH_KEY=$(shell python3 -c 'import secrets; print(secrets.token_urlsafe(64))')

.PHONY: venv system-packages db css messages translations run test lint format bench migrations clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# Debian packages the portal and its tests need: gettext (catalogues), Chromium (end-to-end tests),
# Noto fonts (Hindi in PDFs), poppler-utils (pdffonts in PDF tests). Installed only when missing.
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdffonts >/dev/null || missing="$$missing poppler-utils"; \
	test -f /usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf || missing="$$missing fonts-noto-core"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: venv
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv -v 0

# After marking new strings: collect them into the Hindi catalogue (then fill their msgstr), drop obsolete entries,
# and write the file in gettext's own layout so that every engineer's catalogue diffs and merges alike.
translations: venv
	$(DEV_ENV) $(PY) manage.py makemessages -l hi --no-location -v 0 --ignore=.venv --ignore=tests --ignore=staticfiles
	msgattrib --no-obsolete --no-location -o locale/hi/LC_MESSAGES/django.po locale/hi/LC_MESSAGES/django.po
	@$(PY) -c "import polib; po = polib.pofile('locale/hi/LC_MESSAGES/django.po'); \
	  todo = [e.msgid for e in po if not e.msgstr and not any(e.msgstr_plural.values()) or 'fuzzy' in e.flags]; \
	  print(f'{len(todo)} entries need a Hindi translation', *todo[:20], sep='\n  ')"

# The one stylesheet pages link: Bootstrap cut down to the classes the templates use, then ours (clts/core/css.py).
css: venv
	$(DEV_ENV) $(PY) manage.py build_css

db: venv
	$(PY) -m clts.database_create

run: venv system-packages messages css db
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py load_lgd
	$(DEV_ENV) $(PY) manage.py seed_component_templates
	$(DEV_ENV) $(PY) manage.py seed_schemes
	$(DEV_ENV) $(PY) manage.py seed_demo
	@mkdir -p run
	@echo "Starting Celery worker and beat (logs in run/), then the portal on http://127.0.0.1:$(PORT)/"
	@trap 'kill 0' EXIT INT TERM; \
	$(DEV_ENV) $(VENV)/bin/celery -A clts worker -l info --concurrency 2 > run/worker.log 2>&1 & \
	$(DEV_ENV) $(VENV)/bin/celery -A clts beat -l info --schedule run/celerybeat-schedule > run/beat.log 2>&1 & \
	$(DEV_ENV) $(PY) manage.py runserver 0.0.0.0:$(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo --no-cache

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations: venv
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

test: venv system-packages messages lint css
	$(DEV_ENV) $(PY) manage.py check
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	env $(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) -m pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Benchmarks: 1,000,000 synthetic cases in their own database, kept between runs (--reuse-db); figures printed.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clts_bench
bench: venv
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m pytest tests/bench -s -p no:cacheprovider -m bench \
	  -o python_files='bench_*.py' --reuse-db $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles run .pytest_cache
