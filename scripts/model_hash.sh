#!/usr/bin/env bash
# Print the hash that names the trained model: everything training reads (config, domain,
# training data, the custom NLU components and what they read, the spaCy pipeline builder and
# the Rasa pins). Same inputs, same model file.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  printf '%s\n' config.yml domain.yml scripts/build_spacy_pipeline.py requirements/rasa.txt \
    bot/draft_reply.py bot/knowledge/draft_lead_ins.yml
  find data components -type f \( -name '*.yml' -o -name '*.py' \) | LC_ALL=C sort
} | while read -r f; do printf '%s\n' "$f"; sha256sum < "$f"; done | sha256sum | cut -c1-16
