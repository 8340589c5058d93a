"""Custom components of the Rasa NLU pipeline (config.yml), each a thin wrapper around bot/."""
