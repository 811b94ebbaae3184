# Two commands do all set-up on a fresh machine:
#   make run   - virtual environment, install, migrate, demo council, serve on http://127.0.0.1:8000
#   make test  - virtual environment, install, Chromium and the PDF/UA checker, the whole suite
# DATABASE_URL chooses the database (default: SQLite file db.sqlite3 in this folder).

VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The suite runs on both cores of the machine; PYTEST_ARGS= runs it in one process. Each test
# module goes to one worker (loadscope): modules that load the demo council or render reports
# once for all their tests then do it once, not once on each worker.
PYTEST_ARGS ?= -n 2 --dist loadscope

.PHONY: run test lint system-packages test-tools clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

system-packages:
	@scripts/system-packages

# Chromium and the PDF/UA checker, for the browser and PDF tests (scripts/test-tools).
test-tools:
	@scripts/test-tools

run: system-packages $(STAMP)
	DEBUG=true $(PYTHON) manage.py migrate --no-input
	DEBUG=true $(PYTHON) manage.py load_demo
	# The demo council lives in October 2012: its people are told what was due or late then
	# (in the product, and by email written to mail/). Told once, however often this runs.
	DEBUG=true $(PYTHON) manage.py send_reminders --today 2012-10-26
	DEBUG=true $(PYTHON) manage.py runserver 127.0.0.1:8000

test: system-packages test-tools $(STAMP)
	SECRET_KEY=$${SECRET_KEY:-insecure-key-for-tests-only} $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) .venv-pdfcheck db.sqlite3
