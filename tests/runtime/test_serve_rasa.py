"""The Rasa launcher must hand any generated token to `rasa run` intact."""

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from rasa.__main__ import create_argument_parser

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "serve_rasa.py"


def load_launcher() -> ModuleType:
    spec = importlib.util.spec_from_file_location("serve_rasa", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "plain_token_123", "--double"])
def test_rasa_receives_the_whole_token(token: str) -> None:
    argv = load_launcher().rasa_argv(["--enable-api", "-i", "127.0.0.1", "-p", "5005"], token)

    parsed = create_argument_parser().parse_args(argv[1:])

    assert parsed.auth_token == token
    assert parsed.interface == "127.0.0.1"
