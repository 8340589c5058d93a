"""Rasa custom actions, one module per capability; each delegates to `bot/`."""
