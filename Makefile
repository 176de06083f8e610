# creditkit: make demo | make test | make lab | make bench   (make help)
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
LAB_STAMP := $(VENV)/.installed-lab
STORE  := datasets/creditkit.duckdb
REPORTS ?= reports
# pytest workers (the CI machine has 2 cores)
JOBS   ?= 2
# Notebook reports the tests export once and share: between the xdist workers of the unit
# step and with the browser step (tests/conftest.py, ReportCache). make test empties it
# first, so every CI run exports each report once.
export CREDITKIT_REPORT_CACHE ?= $(CURDIR)/.pytest_cache/creditkit-reports
# the slowest tests of each step, printed after it (where CI time goes)
DURATIONS ?= 25

.PHONY: help venv demo test lab bench system-deps lint unit spark notebooks browser lab-deps strip-outputs

help:
	@echo "make demo   create .venv, generate a portfolio into $(STORE) (once; reused after),"
	@echo "            build a year of monthly snapshots with creditkit update (those missing),"
	@echo "            export every notebook to $(REPORTS)/"
	@echo "make test   create .venv (with the spark extra), install missing Debian test packages"
	@echo "            (chromium, postgresql, a Java runtime for Spark),"
	@echo "            run ruff, unit tests + doctests, the Spark tests (one local session),"
	@echo "            the notebooks under nbval and the offline browser tests"
	@echo "            (installs the lab extra: JupyterLab is tested in the browser too)"
	@echo "make lab    JupyterLab on notebooks/ (installs the lab extra, and nbstripout as the"
	@echo "            git filter that keeps notebook outputs out of commits)"
	@echo "make bench  every bench/*.py at its default sizes"

# Reinstall only when pyproject.toml changed (the stamp is newer otherwise).
venv: $(STAMP)
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,reference,spark]'
	@touch $@

# The lab extra (JupyterLab), for make lab and the JupyterLab browser test; again after
# every reinstall of the dev extras.
lab-deps: $(LAB_STAMP)
$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	@touch $@

demo: venv
	$(BIN)/creditkit demo --store $(STORE) --out $(REPORTS)
	@echo ""
	@echo "Reports are in $(abspath $(REPORTS))/ - open $(abspath $(REPORTS))/index.html (works offline)"

# Debian packages the tests need, installed (as root with apt-get) only when missing:
# chromium for the browser test, postgresql and a Java runtime for the scorecard SQL
# tests (PostgreSQL and Spark); without them those tests are skipped with a reason.
system-deps:
	@need=""; \
	[ -x /usr/bin/chromium ] || need="$$need chromium fonts-noto-cjk"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$$need postgresql"; \
	{ [ -n "$$JAVA_HOME" ] && [ -x "$$JAVA_HOME/bin/java" ]; } || command -v java >/dev/null \
	  || need="$$need default-jre-headless"; \
	if [ -z "$$need" ]; then \
	  echo "Debian packages for the tests: present (chromium, postgresql, Java)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$need; \
	else \
	  echo "NOTE: missing Debian packages:$$need - the tests needing them will be skipped."; \
	  echo "      Install them with: sudo apt-get install -y$$need"; \
	fi

# The store the notebooks read by default; generated once, before notebooks run in parallel,
# with the snapshot of its last month end (08-credit-file reads snapshots; written here, not
# by a notebook while the others read the store).
$(STORE): | venv
	$(BIN)/creditkit generate --store $(STORE)
	$(BIN)/creditkit update --store $(STORE) --as-of 2025-12-31 --no-progress

lint: venv
	$(BIN)/ruff check .

unit: venv
	$(BIN)/pytest -q -n $(JOBS) -m "not browser and not spark" --durations=$(DURATIONS) creditkit tests

# The Spark tests in one process: one local[2] session (a JVM) for all of them.
spark: venv
	$(BIN)/pytest -q -n 0 -m spark tests -rs

notebooks: venv $(STORE)
	$(BIN)/pytest -q -n $(JOBS) --dist loadfile --nbval-lax notebooks/

browser: venv system-deps lab-deps
	$(BIN)/pytest -q -m browser tests/browser -rs --durations=$(DURATIONS)

# -k: every step runs even when an earlier one fails, so one run shows every failure.
# The Spark tests run beside the browser tests: Spark keeps about one core busy (a JVM and
# its Python workers, 332 CPU s in 333 s), the browser tests wait on pages and kernels as
# much as they compute, so on 2 cores the pair takes about the longer of the two, not the
# sum. Each prints its output when it ends (--output-sync).
test: venv system-deps lab-deps
	@rm -rf "$(CREDITKIT_REPORT_CACHE)"; start=$$(date +%s); ok=1; \
	$(MAKE) --no-print-directory -k lint unit notebooks || ok=0; \
	$(MAKE) --no-print-directory -k -j2 --output-sync=target spark browser || ok=0; \
	if [ $$ok = 1 ]; then \
	  echo "make test: all passed in $$(( $$(date +%s) - start )) s"; \
	else \
	  echo "make test: FAILED (see above) after $$(( $$(date +%s) - start )) s"; exit 1; \
	fi

# Outputs of a run notebook (plotly.js alone is ~5 MB) never reach git: nbstripout as the
# repository's clean filter for *.ipynb: `git diff` and commits see sources only (git status
# lists a re-run notebook until `git add`, which then stages nothing).
# --keep-id keeps the committed cell ids (nbstripout would renumber them by default).
NBSTRIP = "$(abspath $(BIN))/python" -m nbstripout --keep-id
strip-outputs:
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  $(BIN)/nbstripout --install --python "$(abspath $(BIN))/python" && \
	  git config filter.nbstripout.clean '$(NBSTRIP)' && \
	  git config diff.ipynb.textconv '$(NBSTRIP) -t' && \
	  echo "nbstripout: notebook outputs are stripped from what git stores"; \
	else echo "not a git checkout: no nbstripout filter installed"; fi

lab: lab-deps strip-outputs
	$(BIN)/jupyter lab --notebook-dir=notebooks $$([ "$$(id -u)" = "0" ] && echo --allow-root)

bench: venv
	@set -e; for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f; done
