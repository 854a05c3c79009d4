# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# pytest-xdist workers for `make test`: most of the suite's time is spent waiting on
# servers and browsers, so three workers on two cores finish sooner (one test file
# per worker, so a file's servers and fixtures stay together). TEST_WORKERS=0 runs
# in one process.
TEST_WORKERS ?= 3

.PHONY: run serve test lint bench validate tables clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The pinned dependencies (requirements.txt is the lock), then this checkout itself as an
# editable package, so .venv/bin/afweging runs the code as it is here.
$(VENV)/.runtime: requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(PY) -m streamlit run app.py --server.port=$(PORT)

# A trial of a server deployment on this machine: REPLICAS app processes behind
# HAProxy on PostgreSQL (a throwaway server unless AFWEGING_DATABASE_URL is set);
# BASE_PATH=afweging serves under a path, CERT=file.pem ends TLS in HAProxy.
# See docs/deploy.md.
REPLICAS ?= 2
serve: $(VENV)/.dev
	./scripts/ensure-haproxy.sh
	./scripts/ensure-postgres.sh
	$(PY) -m deploy.cluster --replicas $(REPLICAS) --port $(PORT)

# axe-core (pinned in package-lock.json) checks the phone pages for WCAG 2.1 AA.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

test: $(VENV)/.dev node_modules/axe-core/axe.min.js
	./scripts/ensure-chromium.sh
	./scripts/ensure-postgres.sh
	./scripts/ensure-haproxy.sh
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check afweging
	$(PY) -m mypy

bench: $(VENV)/.dev
	./scripts/ensure-chromium.sh
	./scripts/ensure-postgres.sh
	./scripts/ensure-haproxy.sh wrk
	$(PY) -m bench

validate: $(VENV)/.runtime
	$(PY) -m afweging validate criteria scenarios
	$(PY) -m afweging reading

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artefacts node_modules
