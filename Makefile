# Two commands set everything up on a fresh machine:
#   make warehouse   build the whole warehouse from the bundled data
#   make test        run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export MOBILITY_HOME ?= $(CURDIR)/warehouse
export DAGSTER_HOME := $(MOBILITY_HOME)/dagster
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: warehouse test ui manifest bench clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

manifest: $(BIN)/.installed
	$(BIN)/python -m orchestration.prepare

warehouse: manifest
	$(BIN)/python -m orchestration.build

test: manifest
	$(BIN)/python -m pytest

ui: manifest
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

bench: manifest
	$(BIN)/python bench/build_warehouse.py

clean:
	rm -rf $(MOBILITY_HOME)
