#!/usr/bin/env bash
# Print the hash that names the trained model: everything training reads (config, domain,
# training data, the spaCy pipeline builder and the Rasa pins). Same inputs, same model file.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  printf '%s\n' config.yml domain.yml scripts/build_spacy_pipeline.py requirements/rasa.txt
  find data -type f -name '*.yml' | LC_ALL=C sort
} | while read -r f; do printf '%s\n' "$f"; sha256sum < "$f"; done | sha256sum | cut -c1-16
