"""Accounts, roles, browser sessions with CSRF tokens, and personal API tokens."""
