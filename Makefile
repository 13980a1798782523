# Inference Cost Atlas. `make site` builds the bundled vault; `make test` sets up and runs every test.
# Every target sets itself up on a fresh machine: .venv (Python 3.12+) and node_modules (npm ci).

VAULT ?= docs
SITE_DIR ?= site
PORT ?= 8000
# Our vault builds with our mkdocs.yml and --strict; any other vault with starter/mkdocs.yml (what a new
# project would write), named after its folder, and --strict only when asked (STRICT=1).
ifeq ($(abspath $(VAULT)),$(abspath docs))
CONFIG := mkdocs.yml
STRICT ?= 1
else
CONFIG := starter/mkdocs.yml
STRICT ?= 0
export ATLAS_SITE_NAME ?= $(notdir $(abspath $(VAULT)))
endif
STRICT_FLAG := $(if $(filter 1 yes true,$(STRICT)),--strict,)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
# Material's instant navigation needs a site_url; `make serve` sets its own.
SITE_URL ?= http://127.0.0.1:$(PORT)/
export SITE_URL

.PHONY: help site serve wheel test test-fast bench deploy lock setup clean prices

help:
	@echo "make site   build the vault ($(VAULT)) into $(SITE_DIR)/   (VAULT=/path/to/vault for another vault; STRICT=1 fails on warnings)"
	@echo "make serve  live preview on http://127.0.0.1:$(PORT)/   (PORT=8123 for another port)"
	@echo "make wheel  build the plugin's wheel into dist/ (pip install it in any project)"
	@echo "make test   set up and run every test (engine, build, browser)"
	@echo "make bench  run the benchmarks, write bench/results.json and bench/report.md"
	@echo "make deploy build and push the site to the gh-pages branch (mkdocs gh-deploy)"
	@echo "make prices rewrite the genai-prices rows of data/api_prices.yaml and print what changed"

# The editable install maps node_modules/pyodide to atlas_mkdocs.pyodide, so npm ci comes first.
$(STAMP): pyproject.toml requirements.txt | node_modules/.package-lock.json
	@test -x $(PY) || { py=$$(sh build_scripts/find-python.sh) && echo "Creating $(VENV) with $$py" && "$$py" -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

setup: $(STAMP) node_modules/.package-lock.json

site: setup
	ATLAS_VAULT="$(abspath $(VAULT))" ATLAS_SITE_DIR="$(abspath $(SITE_DIR))" $(VENV)/bin/mkdocs build -f $(CONFIG) $(STRICT_FLAG)
	@test "$(origin SITE_URL)" != "file" || echo "warning: built for $(SITE_URL), this machine (SITE_URL is not set): canonical links and sitemap.xml point there. To publish, set SITE_URL=https://you.github.io/repo/; instant navigation works wherever the site is served." >&2

serve: setup
	ATLAS_VAULT="$(abspath $(VAULT))" $(VENV)/bin/mkdocs serve -f $(CONFIG) --dirty --livereload --dev-addr 127.0.0.1:$(PORT)

# The plugin's wheel (engine, assets, Pyodide runtime and default data inside): pip install dist/*.whl.
wheel: setup
	$(PY) -m pip wheel --no-deps --no-build-isolation --wheel-dir dist .

test: setup
	$(PY) -m pytest

# Engine and build tests only, without the browser.
test-fast: setup
	$(PY) -m pytest -m "not browser"

bench: setup
	$(PY) -m bench

# Publish from a branch: builds and pushes site/ to gh-pages (set SITE_URL to the Pages address).
deploy: setup
	@test "$(origin SITE_URL)" != "file" || { echo "Set SITE_URL to the published address, e.g. make deploy SITE_URL=https://you.github.io/repo/"; exit 1; }
	ATLAS_VAULT="$(abspath $(VAULT))" $(VENV)/bin/mkdocs gh-deploy -f $(CONFIG) $(STRICT_FLAG) --force

# API prices from genai-prices (pinned in requirements.txt): rewrites the rows between the markers of
# data/api_prices.yaml and prints what changed. ARGS="--dry-run" only prints.
prices: $(STAMP)
	$(PY) -m atlas_mkdocs.data.genai_prices $(ARGS)

# Regenerate requirements.txt (the whole pinned tree) in a fresh environment from pyproject.toml, keeping
# each version requirements.txt pins while it still fits (delete a line to let that package move).
lock: $(STAMP)
	rm -rf .cache/lock-venv && $(PY) -m venv .cache/lock-venv
	.cache/lock-venv/bin/pip install --quiet --disable-pip-version-check -c requirements.txt -e ".[test,prices]"
	.cache/lock-venv/bin/pip freeze --exclude-editable | grep -v '^inference-cost-atlas' > requirements.txt
	rm -rf .cache/lock-venv

clean:
	rm -rf $(SITE_DIR) .cache .pytest_cache
