# One command per task. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test validate build lint format clean synth bench bench-full soak

# Compiled modules are kept (__pycache__), even where the environment sets PYTHONDONTWRITEBYTECODE:
# the venv's packages are not compiled at install, so a module is compiled when first imported, once;
# the test workers, the servers and the command-line runs the tests start then share it.
unexport PYTHONDONTWRITEBYTECODE

# The virtualenv: made without pip, the system's pip installs uv (pinned) into it, and uv installs pip
# and the pinned requirements (about 5 s here, where pip alone took 23 s, with the same versions).
# Where that cannot be done (no pip 22.3 or later beside $(PYTHON), no network, no wheel for this
# platform), the venv gets its own pip, which installs them all.
UV := uv==0.13.9
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv --without-pip $(VENV)
	($(PYTHON) -m pip --python $(PY) install --quiet $(UV) \
	  && $(PY) -m uv pip install --quiet --python $(PY) pip -r requirements-dev.txt) \
	  || ($(PY) -m ensurepip --upgrade && $(PY) -m pip install --quiet --upgrade pip \
	      && $(PY) -m pip install --quiet --no-compile -r requirements-dev.txt)
	touch $(STAMP)

## run: build the database from data/ and serve the app on http://localhost:8501
## (serve.py: app.py plus the API, first paint, health checks; through deploy/streamlit_nodelay.py:
## `streamlit run` with TCP_NODELAY, see docs/benchmarks.md)
run: $(STAMP)
	bash scripts/ensure_fonts.sh
	$(PY) -m chatbot_watch build
	$(PY) deploy/streamlit_nodelay.py run serve.py

## test: the whole test suite (what CI runs), browser and deploy tests included (Chromium, the CJK
## fonts and nginx are installed first when missing). In parallel (pytest-xdist): one worker per core, at most 4;
## the shared databases are built once per run (each worker takes a copy), and each worker serves what its tests need once.
test: $(STAMP)
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_fonts.sh
	bash scripts/ensure_axe.sh
	bash deploy/ensure_nginx.sh --required
	$(PY) -m ruff check .
	$(PY) -m pytest -q -n auto --maxprocesses 4 --dist worksteal

validate: $(STAMP)
	$(PY) -m chatbot_watch validate

build: $(STAMP)
	$(PY) -m chatbot_watch build

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .

## synth: synthetic, schema-valid data at a scale factor, e.g. `make synth SCALE=100` -> build/synth/x100
SCALE ?= 10
synth: $(STAMP)
	$(PY) -m chatbot_watch.tools.synth --scale $(SCALE) --out build/synth/x$(SCALE)
	$(PY) -m chatbot_watch validate --data build/synth/x$(SCALE)

## bench: quick benchmark (under ten minutes); bench-full: every figure of docs/benchmarks.md (about 30 min)
## Both print tables and write JSON to build/bench/ (nginx is installed first when missing, as for `make test`).
## The web section compares with Datasette, which it installs into build/bench-venv (never into .venv).
bench: $(STAMP)
	bash scripts/ensure_chromium.sh
	bash deploy/ensure_nginx.sh
	$(PY) -m bench

bench-full: $(STAMP)
	bash scripts/ensure_chromium.sh
	bash deploy/ensure_nginx.sh
	$(PY) -m bench --full

## soak: 40 visitors coming and going for 10 minutes, database rebuilt every minute; errors and memory
soak: $(STAMP)
	$(PY) -m bench.soak --minutes 10 --visitors 40

clean:
	rm -rf build .pytest_cache .ruff_cache
