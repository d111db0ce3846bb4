VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench severity-model clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	@$(VENV)/bin/slackapp run

test: $(STAMP)
	$(VENV)/bin/ruff check slackapp tests bench scripts
	scripts/ensure-chromium
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m bench

# Relearn slackapp/review/severity_model.tsv from the labelled fixtures (seconds; add
# --loso to the script for the leave-one-set-out report, about a minute).
severity-model: $(STAMP)
	$(PY) -m pip install --quiet -e '.[train]'
	$(PY) scripts/train_severity.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
