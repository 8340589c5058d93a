"""Rasa input channels (credentials.yml names them); not training inputs."""
