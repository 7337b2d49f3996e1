# One command per task. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test validate build lint format clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

## run: build the database from data/ and serve the app on http://localhost:8501
run: $(STAMP)
	$(PY) -m chatbot_watch build
	$(PY) -m streamlit run app.py

## test: the whole test suite (what CI runs), browser tests included
test: $(STAMP)
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_axe.sh
	$(PY) -m ruff check .
	$(PY) -m pytest -q

validate: $(STAMP)
	$(PY) -m chatbot_watch validate

build: $(STAMP)
	$(PY) -m chatbot_watch build

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .

clean:
	rm -rf build .pytest_cache .ruff_cache
