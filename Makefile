# Every target sets itself up: the virtualenv is (re)built when missing or when
# pyproject.toml or constraints.txt changed since it was last built.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DUMP   ?= samples/seed-dump
OUT    ?= reports
ARGS   ?=
PYTEST_ARGS ?=
CORPUS ?= ../shared/corpora/trafilatura-eval

.PHONY: check test lint fmt bench accuracy fuzz browser clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24" 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
	@$(BIN)/python -c "import corpus_qa, pandas, pandera" 
	@touch $(STAMP)

## check: run the quality gate on DUMP (default: the bundled sample) and write OUT/
check: $(STAMP)
	$(BIN)/corpus-qa check $(DUMP) --out $(OUT) $(ARGS)

## test: run the whole test suite
test: $(STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## lint: ruff (lint and format check) and mypy on the engine
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## fuzz: the property tests with 50,000 examples each (HYPOTHESIS_PROFILE=fuzz)
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_hostile_properties.py $(PYTEST_ARGS)

## browser: Debian's headless Chromium for the report's browser tests
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not found: browser tests will be skipped"; fi; }

clean:
	rm -rf $(VENV) reports build *.egg-info .pytest_cache .mypy_cache .ruff_cache
