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

.PHONY: warehouse test test-slow audit ui docs manifest browser java spark bench clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Spark (MOBILITY_ENGINE=spark, and the slow tests): pyspark and dbt-spark (the `spark` extra)
# and a Java runtime, Debian's OpenJDK 17 when `java` is missing and we are root.
$(BIN)/.spark-installed: $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[test,spark]'
	touch $@

java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's openjdk-17-jre-headless for Spark"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null; \
	  else \
	    echo "Spark needs a Java runtime: sudo apt-get install openjdk-17-jre-headless" >&2; exit 1; \
	  fi; }

spark: $(BIN)/.spark-installed java

# What the engine chosen by MOBILITY_ENGINE needs besides the base install (the manifest is
# parsed for that engine's dbt target, so its adapter comes first).
ENGINE_DEPS := $(if $(filter spark,$(MOBILITY_ENGINE)),spark)
ENGINE_STAMP := $(if $(filter spark,$(MOBILITY_ENGINE)),$(BIN)/.spark-installed)

# Re-parse the dbt project only when a model, test, macro or config changed.
MANIFEST := $(MOBILITY_HOME)/dbt_target/manifest.json
DBT_FILES := $(shell find dbt_project -name '*.sql' -o -name '*.yml' -o -name '*.yaml')

$(MANIFEST): $(BIN)/.installed $(ENGINE_STAMP) $(DBT_FILES)
	$(BIN)/python -m orchestration.prepare

manifest: $(MANIFEST)

warehouse: $(ENGINE_DEPS) manifest
	$(BIN)/python -m orchestration.build

# Test files run in parallel, each whole in one worker (its module fixtures built once).
TEST_WORKERS ?= 2

PYTEST_FAST := $(BIN)/python -m pytest -m "not slow" --numprocesses $(TEST_WORKERS) --dist loadfile

# The dependency audit mostly waits on the network: it runs beside the tests, its verdict after theirs.
test: $(BIN)/.installed browser
	@echo '$(PYTEST_FAST)'
	@report=$$(mktemp); $(BIN)/python tools/dependency_audit.py > $$report 2>&1 & audit=$$!; \
	$(PYTEST_FAST); tests=$$?; \
	wait $$audit; audited=$$?; cat $$report; rm -f $$report; \
	[ $$tests -eq 0 ] && [ $$audited -eq 0 ]

# Whole builds killed, national scale, the build on Spark: minutes each. CI runs them after `make test`.
test-slow: $(BIN)/.installed spark
	$(BIN)/python -m pytest -m slow --numprocesses $(TEST_WORKERS) --dist loadfile

# Known vulnerabilities in the installed packages (pip-audit); says so when it could not check.
audit: $(BIN)/.installed
	$(BIN)/python tools/dependency_audit.py

# The UI and brief tests drive headless Chromium (Debian's package); the brief's accessibility test
# runs axe-core (npm) in it and reads printed pages with pdftotext (poppler-utils).
AXE := $(VENV)/npm/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --silent --no-audit --no-fund --prefix $(VENV)/npm axe-core@4.14

browser: $(AXE)
	@command -v pdftotext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null; \
	  else \
	    echo "The brief's PDF tests need pdftotext: sudo apt-get install poppler-utils" >&2; exit 1; \
	  fi; }
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the UI tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else \
	    echo "The UI tests need headless Chromium: sudo apt-get install chromium" >&2; exit 1; \
	  fi; }

# dg finds the project in pyproject.toml; VIRTUAL_ENV tells it to use this venv. The UI can
# launch runs: it listens on this machine only unless told otherwise (make ui UI_HOST=0.0.0.0).
UI_HOST ?= 127.0.0.1
UI_PORT ?= 3000
ui: manifest
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg dev -h $(UI_HOST) -p $(UI_PORT)

docs: $(BIN)/.installed
	$(BIN)/python -m orchestration.quality.docs

# A warm build against the engine floor (DuckDB alone); prints figures, asserts nothing.
bench: manifest
	$(BIN)/python bench/run

clean:
	rm -rf $(MOBILITY_HOME)
