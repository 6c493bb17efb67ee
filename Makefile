# Quick start: `make demo` lints the bundled corpus; `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test lint-code clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/auditor lint corpus/ || [ $$? -eq 1 ]

test: $(VENV)/.installed
	$(BIN)/python -m pytest -n 2
	$(BIN)/ruff check auditor tests bench

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
