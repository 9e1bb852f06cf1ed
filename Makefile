# The project's vocabulary. `make run` and `make test` set everything up on a fresh machine.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
# pytest-xdist workers for `make test` (auto: one per CPU core); tests that share a server keep together
TEST_WORKERS ?= auto

.PHONY: run test lint types schema i18n bench clean install deps

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m guide lint --quiet
	$(BIN)/python -m guide serve --port 8501

test: $(STAMP)
	$(BIN)/python -m guide lint
	$(BIN)/ruff check guide tests bench app.py
	$(BIN)/pybabel compile --domain messages --directory guide/locales --statistics
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

lint: $(STAMP)
	$(BIN)/python -m guide lint

# Type-check guide/ and app.py (settings in pyproject.toml [tool.mypy]); part of `make test` as
# tests/test_types.py, which runs it beside the other tests.
types: $(STAMP)
	$(BIN)/mypy

# The package import graph by layer, and any import that points up (a test fails on one).
deps: $(STAMP)
	$(BIN)/python -m guide deps

schema: $(STAMP)
	$(BIN)/python -m guide schema

# Extract UI strings, update the catalogs, compile them. Commit the .po and .mo files.
i18n: $(STAMP)
	$(BIN)/pybabel extract --mapping babel.cfg --output-file guide/locales/messages.pot --project etwinning-guide --no-location --sort-output .
	$(BIN)/pybabel update --domain messages --input-file guide/locales/messages.pot --output-dir guide/locales --no-fuzzy-matching
	$(BIN)/pybabel compile --domain messages --directory guide/locales --statistics

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
