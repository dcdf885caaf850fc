# CityDiplomacy — the commands a developer and CI use. `make run` and `make test` need only
# Python 3.11 on the machine; everything else is installed into .venv by these rules.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format worker beat bench migrate demo messages clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (found %s); set PYTHON=/path/to/python3.11" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

migrate: $(VENV)/.runtime-installed
	$(PY) manage.py migrate --noinput

demo: migrate
	LOCAL_SITE_URL=http://$(LINK_HOST):$(PORT) $(PY) manage.py load_demo

## Serve the portal with demo data at http://$(HOST):$(PORT)/ (SQLite, tasks in-process by default).
## Links in e-mails point at the same address (LOCAL_SITE_URL) unless SITE_URL is set.
LINK_HOST = $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
run: demo
	LOCAL_SITE_URL=http://$(LINK_HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

## The whole suite: lint, migration check, pytest.
test: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_ENV=test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## A Celery worker and the beat scheduler (need CELERY_BROKER_URL).
worker: $(VENV)/.runtime-installed
	$(VENV)/bin/celery -A citydiplomacy worker --loglevel INFO

beat: $(VENV)/.runtime-installed
	$(VENV)/bin/celery -A citydiplomacy beat --loglevel INFO --schedule $(VENV)/celerybeat-schedule

## Benchmarks print figures and ratios against a baseline measured in the same run.
bench: $(VENV)/.dev-installed
	@set -e; for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script; done

## Refresh the translation catalogues after changing user-facing strings, then compile them
## (needs GNU gettext). The compiled .mo files are committed, so serving needs no gettext.
messages: $(VENV)/.runtime-installed
	$(PY) manage.py makemessages --all --ignore=.venv --ignore=staticfiles --ignore=benchmarks --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
