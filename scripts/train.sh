#!/usr/bin/env bash
# Train the Rasa model only when no model exists for the current inputs (see model_hash.sh).
# Prints the path of the model to use.
set -euo pipefail
cd "$(dirname "$0")/.."
hash=$(scripts/model_hash.sh)
model="models/coach-${hash}.tar.gz"
if [[ -f "$model" ]]; then
  echo "model up to date: $model" >&2
else
  echo "training model $model (inputs changed or no model yet) ..." >&2
  start=$(date +%s)
  mkdir -p models var/log
  if ! RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 .venv-rasa/bin/rasa train \
      --fixed-model-name "coach-${hash}" --out models >var/log/train.log 2>&1; then
    tail -n 40 var/log/train.log >&2
    echo "training failed; full log in var/log/train.log" >&2
    exit 1
  fi
  echo "trained in $(( $(date +%s) - start )) s" >&2
  # Models for older inputs are never used again.
  find models -maxdepth 1 -name 'coach-*.tar.gz' ! -name "coach-${hash}.tar.gz" -delete
fi
echo "$model"
