"""Limits every surface enforces the same way (API, web page, Slack, the bot's own checks)."""

# One message, reply or customer line, in characters.
MAX_MESSAGE_CHARS = 2000
# Customer lines one classification request may combine.
MAX_TURNS = 20
