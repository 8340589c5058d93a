# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step
# of those two and can be run on its own.
SHELL := /bin/bash
.DEFAULT_GOAL := help

RASA_ENV := .venv-rasa/bin
APP_ENV := .venv-app/bin
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help setup train run run-prod test lint typecheck validate test-stories test-rasa-env \
        test-app-env test-e2e test-faults-fast test-faults bench load eval eval-replies audit manage clean

help:
	@echo "make run    install if needed, train if needed, start Rasa + action server + API"
	@echo "make test   lint, type-check, validate data, train (cached), all tests"
	@echo "make run-prod   the production profile: PostgreSQL, Redis, RASA_REPLICAS Rasa servers"
	@echo "make setup | train | lint | typecheck | validate | test-stories | test-e2e | test-faults"
	@echo "make bench | load | eval | eval-replies | audit | clean"
	@echo "make manage ARGS=\"migrate | export-relabels [--out FILE]\"   tasks on the app database"

setup:
	@scripts/setup.sh

# The Rasa model and the reply model, each only when its inputs changed (cached by hash).
train: setup
	@scripts/train.sh >/dev/null
	@$(RASA_ENV)/python -m scripts.train_reply_model >/dev/null

run: train
	@$(APP_ENV)/python -m scripts.stack --profile $(or $(PROFILE),dev)

# PostgreSQL + Redis on loopback, RASA_REPLICAS Rasa servers (default 2), API_WORKERS
# uvicorn workers (default 2); same as `make run PROFILE=prod`.
run-prod: train
	@$(APP_ENV)/python -m scripts.stack --profile prod

test: setup lint typecheck validate train test-stories test-rasa-env test-app-env test-e2e \
      test-faults-fast
	@echo "make test: all checks passed"

lint: setup
	$(APP_ENV)/ruff check .
	$(APP_ENV)/ruff format --check .

typecheck: setup
	$(APP_ENV)/mypy api bot scripts/stack.py scripts/services.py scripts/check_nlu_data.py scripts/check_reply_corpus.py tests/api tests/e2e tests/faults testkit bench
	$(RASA_ENV)/mypy actions bot components channels eval scripts/train_reply_model.py tests/actions tests/nlu tests/runtime

validate: setup
	$(RASA_ENV)/rasa data validate --fail-on-warnings --quiet
	$(APP_ENV)/python -m scripts.check_nlu_data
	$(APP_ENV)/python -m scripts.check_reply_corpus

# PYTHONWARNINGS quiets third-party deprecation noise from rasa's plotting; failures still fail.
test-stories: train
	PYTHONWARNINGS=ignore $(RASA_ENV)/rasa test core --stories tests/test_stories.yml --fail-on-prediction-errors \
		--model "$$(scripts/train.sh)" --out results/stories --quiet

# bot/ is the shared library: its tests run in both environments.
test-rasa-env: train
	$(RASA_ENV)/pytest -q tests/bot tests/actions tests/nlu tests/runtime

test-app-env: train
	$(APP_ENV)/pytest -q tests/bot tests/api

test-e2e: train
	$(APP_ENV)/pytest -q tests/e2e

# Fault tests on the production profile: the fast ones run in `make test`, all of them here.
test-faults-fast: train
	$(APP_ENV)/pytest -q tests/faults -m "not slow_fault"

test-faults: train
	$(APP_ENV)/pytest -q tests/faults

bench: train
	$(APP_ENV)/python -m bench.run

# 5-fold cross-validation of config.yml and the alternatives in eval/configs/ (~25 min);
# writes docs/nlu-report.md and docs/nlu-confusion.png; then the reply analysis.
eval: setup eval-replies
	$(RASA_ENV)/python -m eval.run

# The reply analysis: 5-fold cross-validation on replies/train and the held-out replies/heldout,
# next to the cue-list baseline (~5 min) -> docs/reply-report.md.
eval-replies: setup
	$(RASA_ENV)/python -m eval.replies

# Known vulnerabilities in both environments (needs PyPI's JSON API; see docs/security.md).
audit: setup
	$(APP_ENV)/pip-audit --progress-spinner off --path .venv-app/lib/python3.11/site-packages
	$(APP_ENV)/pip-audit --progress-spinner off --path .venv-rasa/lib/python3.11/site-packages

# 200 trainees x 10 practice turns on SQLite and on PostgreSQL with 1 and 2 Rasa replicas,
# next to bare Rasa (~20 min) -> the "load" section of docs/benchmarks.md.
load: train
	$(APP_ENV)/python -m bench.load

# Tasks on the app database (api/cli.py), e.g. make manage ARGS="export-relabels --out relabels.yml"
manage: setup
	@$(APP_ENV)/python -m api.cli $(ARGS)

clean:
	rm -rf results .mypy_cache .ruff_cache .pytest_cache
