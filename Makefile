# Quick start: `make serve` (the example site) and `make test` (the whole suite).
# Both create .venv/ and install the package with its test extras into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pip runs again only when pyproject.toml is newer than this stamp.
STAMP := $(VENV)/.installed
# Silences Material's MkDocs 2 end-of-life banner on every build.
export NO_MKDOCS_2_WARNING := 1

.PHONY: venv serve build test lint mermaid example-reports

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv: $(STAMP)

# Bundle Mermaid (the version pinned in scripts/fetch-mermaid, 11.17.2) so diagrams render
# offline; it is fetched again when vendor/ holds another version. Without npm the theme loads
# Mermaid from its CDN, which is fine for a reader with internet.
# tablesort (pinned in scripts/fetch-tablesort) likewise; without it findings tables do not sort.
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
