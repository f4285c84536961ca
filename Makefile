# The two commands of the README: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PORT ?= 8000

.PHONY: install sysdeps demo test lint typecheck unit bench docs-cli clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# the CPU build of torch first: a plain `torch` requirement would pull a multi-GB CUDA build
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev,cluster]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# Debian's chromium for the browser tests (installed when running as root, e.g. in CI).
sysdeps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	      || echo "could not install chromium: browser tests will be skipped"; \
	  else echo "chromium not found (sudo apt-get install chromium): browser tests will be skipped"; fi; \
	fi
	@# Debian's PostgreSQL server for the scale-out tests (started per test session on loopback).
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
	      || echo "could not install postgresql: PostgreSQL tests will be skipped"; \
	  else echo "postgresql not found (sudo apt-get install postgresql): PostgreSQL tests will be skipped"; fi; \
	fi

demo: install
	$(BIN)/socialsearch demo --port $(PORT)

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -m "not slow and not browser"

test: install sysdeps lint typecheck
	$(BIN)/pytest

bench: install
	$(BIN)/python benchmarks/beir_scifact.py

docs-cli: install
	$(BIN)/python docs/generate_cli_reference.py > docs/cli.md

clean:
	rm -rf socialsearch-data benchmarks/var .pytest_cache .mypy_cache .ruff_cache
