# Two commands for a newcomer: `make demo` runs Baton embedded; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint install bench pwa

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The phone app (Node 20): pwa/dist, which Baton serves at `/`.
pwa:
	cd pwa && npm ci --no-audit --no-fund && npm run build

demo: install pwa
	$(BIN)/baton demo

lint: install
	$(BIN)/ruff check backend tests bench

test: lint pwa
	cd pwa && npm test
	$(BIN)/python -m pytest

bench: install pwa
	$(BIN)/python bench/routing.py
	$(BIN)/python bench/waves.py
	$(BIN)/python bench/sourcing.py
	$(BIN)/python bench/orders.py
	$(BIN)/python bench/push.py
	$(BIN)/python bench/pwa.py
	$(BIN)/python bench/login_flood.py
	$(BIN)/python bench/notices.py
	$(BIN)/python bench/rates.py
