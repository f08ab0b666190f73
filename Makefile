# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run serve test install install-test migrate baseline lint format bench loadtest worker beat messages clean

# The settings default to production (DEBUG off, SECRET_KEY required, HTTPS only); these
# development targets opt in to debug. `make test` does not: the suite runs as production does.
run worker beat migrate baseline bench messages: export DJANGO_DEBUG ?= on

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

.stamp-base: requirements/base.txt requirements/prod.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/prod.txt
	touch $@

.stamp-test: .stamp-base requirements/test.txt
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@

install: .stamp-base
install-test: .stamp-test

migrate: install
	$(BIN)/python manage.py migrate --no-input

baseline: migrate
	$(BIN)/python manage.py load_appendix_ix
	$(BIN)/python manage.py apply_unit_changes
	$(BIN)/python manage.py create_demo_users
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0

run: baseline
	$(BIN)/python manage.py runserver $(HOST)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-test
	$(BIN)/python bench/run.py

# Issue 17: gunicorn (production settings) on 127.0.0.1 under 50 signed-in sessions for 60 s,
# against the bare floor page; needs DATABASE_URL=postgres://... (a scratch database is made).
loadtest: install-test
	$(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)

worker: install
	$(BIN)/celery -A compliance worker --loglevel=info

beat: install
	$(BIN)/celery -A compliance beat --loglevel=info

# Compiles every catalog (registry/, compliance/, compliance/reports/, notifications/,
# locale/). Needs GNU gettext; the compiled .mo files are committed, so users do not.
messages: install
	$(BIN)/python manage.py compilemessages --ignore .venv

clean:
	rm -rf $(VENV) .stamp-* db.sqlite3 var staticfiles
