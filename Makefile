# Two commands for a newcomer: `make demo` runs Baton embedded; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint install bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: install
	$(BIN)/baton demo

lint: install
	$(BIN)/ruff check backend tests bench

test: lint
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/routing.py
	$(BIN)/python bench/orders.py
