# Two commands: `make run` sets everything up and serves; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: run test lint bench format fuzz tools audit

run: $(VENV)/.installed
	$(BIN)/remember-when migrate
	$(BIN)/remember-when serve --port $(PORT)

test: $(VENV)/.installed-dev tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n auto
	$(BIN)/pytest tests/e2e -n auto --dist loadfile

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev
	$(BIN)/pip install --quiet pyvips pyvips-binary || echo "pyvips did not install: libvips is skipped"
	$(BIN)/python bench/login_and_pages.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/upload_concurrency.py
	$(BIN)/python bench/timeline.py
	$(BIN)/python bench/resurfacing_speed.py
	$(BIN)/python bench/resurfacing_eval.py
	$(BIN)/python bench/emails.py
	$(BIN)/python bench/letters_month.py
	$(BIN)/python bench/push.py
	$(BIN)/python bench/recap.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/hardening.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/forgot.py
	$(BIN)/python bench/full_size.py

# The npm tools the page checks use (axe-core in `make test`, Lighthouse in `make audit`),
# pinned in the script, into build/tools.
tools:
	tests/e2e/tools/install.sh

# Lighthouse (mobile) on the demo couple's home, timeline, memory and recap; prints the
# performance, accessibility and best-practices scores. Not part of `make test`.
audit: $(VENV)/.installed-dev tools
	$(BIN)/python bench/lighthouse.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# The API fuzzing of `make test`, with many more examples per operation.
fuzz: $(VENV)/.installed-dev
	FUZZ_EXAMPLES=200 $(BIN)/pytest -s -p no:randomly tests/integration/test_api_fuzz.py
