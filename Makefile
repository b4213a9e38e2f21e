# Quick start: `make serve` (the example site) and `make test` (the whole suite).
# Both create .venv/ and install the package with its test extras into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pip runs again only when pyproject.toml is newer than this stamp.
STAMP := $(VENV)/.installed
# Silences Material's MkDocs 2 end-of-life banner on every build.
export NO_MKDOCS_2_WARNING := 1

.PHONY: venv serve build test lint mermaid example-reports bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv: $(STAMP)

# Bundle Mermaid (11.17.2) and tablesort (5.7.1) into vendor/ so diagrams render and tables
# sort offline: the scripts run `phasebook assets fetch --dir vendor` (with .venv's Python, else
# python3: the Pages workflow installs Phasebook without a venv), the versions and checksums
# pinned in plugins/phasebook/vendored.py; a package is fetched again when vendor/ holds
# anything else. Without npm the theme loads Mermaid from its CDN, which is fine for a reader
# with internet, and findings tables do not sort.
mermaid:
	@if scripts/fetch-mermaid --check; then :; \
	elif command -v npm >/dev/null; then scripts/fetch-mermaid; \
	else echo "npm not found: diagrams will load Mermaid from the CDN"; fi
	@if scripts/fetch-tablesort --check; then :; \
	elif command -v npm >/dev/null; then scripts/fetch-tablesort; \
	else echo "npm not found: findings tables will not sort"; fi

serve: $(STAMP) mermaid
	$(BIN)/mkdocs serve

build: $(STAMP) mermaid
	$(BIN)/mkdocs build --strict

# `make test PYTEST_ARGS="-m browser"` runs a part of the suite. Tests run on every core,
# a test file per worker (its module fixtures, e.g. a built site, are made once);
# `make test PYTEST_XDIST=` runs them in one process.
PYTEST_XDIST ?= -n auto --dist loadfile
# `python -m pytest` puts the repository root on sys.path, so tests can import `tests.conftest`.
# pytest exits 5 when it collects no test, and make fails on it: an empty run never passes.
test: $(STAMP)
	scripts/install-test-deps
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check plugins tests bench scripts
	$(BIN)/mypy

example-reports: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" PYTHON=$(BIN)/python scripts/example-reports

# The benchmarks (docs/guide/performance.md): `make bench` at the performance issue's sizes
# (most of an hour on two cores), `make bench BENCH_ARGS=--quick` in a few minutes.
bench: $(STAMP)
	$(BIN)/python -m bench.run_all $(BENCH_ARGS)
