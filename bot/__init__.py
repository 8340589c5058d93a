"""Coaching logic and knowledge shared by the Rasa actions and the web API.

Depends only on what both Python environments can install (PyYAML, spaCy, jieba):
no web framework, no pydantic, no Rasa imports.
"""
