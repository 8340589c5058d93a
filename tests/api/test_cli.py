"""`make manage`: tokens listed without values, revoked one by one; passwords reset."""

import pytest

from api.cli import main
from api.settings import Settings
from tests.api.conftest import add_account


def test_tokens_are_listed_without_values_and_revoked_alone(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    first = add_account(settings.database_url, "li", "trainee", "north")
    add_account(settings.database_url, "zhao", "trainee", "north")
    url = ["--database-url", settings.database_url]
    assert main([*url, "list-tokens"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and first.token not in "".join(listed)
    li = next(line for line in listed if "\tli\t" in line)
    assert main([*url, "revoke-token", "--id", li.split("\t")[0]]) == 0
    assert main([*url, "list-tokens"]) == 0
    assert [line.split("\t")[1] for line in capsys.readouterr().out.splitlines()[1:]] == ["zhao"]
    assert main([*url, "revoke-token", "--id", "999"]) == 2
    assert "That token does not exist" in capsys.readouterr().err


def test_reset_password_prints_a_new_one_once(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    account = add_account(settings.database_url, "li", "trainee", "north")
    assert main(["--database-url", settings.database_url, "reset-password", "--name", "li"]) == 0
    printed = capsys.readouterr().out
    assert "shown once" in printed and account.password not in printed
