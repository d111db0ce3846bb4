VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench models clean

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

# Relearn the engine's weight tables (slackapp/review/*_model.tsv) from the labelled
# fixtures, in under a minute; scripts/train_models.py --loso adds the leave-one-set-out
# report (a few minutes).
models: $(STAMP)
	$(PY) -m pip install --quiet -e '.[train]'
	$(PY) scripts/train_models.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
