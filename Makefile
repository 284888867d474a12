# thidua — two commands: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint migrate demo messages bench-eligibility bench-roster bench-awards bench-rollup bench-search bench-uploads bench-http bench-scaleout clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

## make run: set up, migrate the embedded SQLite database, load demo data once, serve on http://127.0.0.1:8000
## together with the background task worker (roster imports); stopping the server stops the worker.
run: demo
	$(BIN)/python manage.py db_worker --interval 0.5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: set up and run the whole suite (lint, import-layer contracts, unit + view + browser tests)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## make messages: refresh and compile the English translation (msgids are Vietnamese)
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

bench-eligibility: $(STAMP)
	$(BIN)/python bench/eligibility.py

bench-roster: $(STAMP)
	$(BIN)/python bench/roster_import.py

bench-awards: $(STAMP)
	$(BIN)/python bench/award_import.py

bench-rollup: $(STAMP)
	$(BIN)/python bench/rollup.py

bench-search: $(STAMP)
	$(BIN)/python bench/search.py

bench-uploads: $(STAMP)
	$(BIN)/python bench/upload_bombs.py --big

## make bench-http BENCH_DB=thidua_1m: the HTTP load benchmark on a dataset (manage.py generate_dataset)
BENCH_DB ?= thidua_bench
bench-http: $(STAMP)
	$(BIN)/python bench/http_load.py --database $(BENCH_DB)

## make bench-scaleout (as root): nginx, 2 app servers, PostgreSQL primary + replica, Redis, S3 (moto)
bench-scaleout: $(STAMP)
	$(BIN)/python bench/scale_out.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
