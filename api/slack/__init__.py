"""Slack integration: slack-bolt (async) translating between Slack and the Rasa bot."""
