"""The web pages: server-rendered templates (autoescaped) and the app's own static files."""
