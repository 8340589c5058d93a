"""Rasa custom actions, one module per capability; each delegates to `bot/`.

The action server imports this package at start-up: the knowledge files are checked here,
so the server refuses to start with a broken playbook instead of coaching from it.
"""

from bot.knowledge_check import check_knowledge

check_knowledge()
