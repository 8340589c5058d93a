"""The web API: a thin FastAPI adapter in front of the Rasa server (no dialogue logic here)."""
