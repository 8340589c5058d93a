"""A coach who breaks a knowledge file learns which file, which line and what is wrong."""

from pathlib import Path

import pytest

from bot.knowledge_loader import (
    BILINGUAL,
    KnowledgeError,
    ListOf,
    Mapping,
    Number,
    load_knowledge,
)

SCHEMA = Mapping(required={"title": BILINGUAL, "weight": Number(0, 1), "items": ListOf(BILINGUAL)})

VALID = """\
title: {zh: 标题, en: Title}
weight: 0.5
items:
  - zh: 第一条
    en: first
"""


def load(tmp_path: Path, text: str) -> object:
    (tmp_path / "card.yml").write_text(text, encoding="utf-8")
    return load_knowledge("card.yml", SCHEMA, base_dir=tmp_path)


def test_valid_file_loads_as_plain_data(tmp_path: Path) -> None:
    data = load(tmp_path, VALID)
    assert data == {
        "title": {"zh": "标题", "en": "Title"},
        "weight": 0.5,
        "items": [{"zh": "第一条", "en": "first"}],
    }


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (VALID.replace("    en: first\n", ""), 4, "missing key(s): en"),
        (VALID.replace("weight: 0.5", "weight: 3"), 2, "outside [0, 1]"),
        (VALID.replace("weight: 0.5", "weight: heavy"), 2, "expected a number"),
        (VALID.replace("en: Title", "en: ''"), 1, "must not be empty"),
        (VALID + "colour: red\n", 6, "unknown key 'colour'"),
        (VALID.replace("  - zh: 第一条", "  - zh: [第一条"), 5, "not valid YAML"),
    ],
)
def test_broken_file_names_file_line_and_problem(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    with pytest.raises(KnowledgeError) as error:
        load(tmp_path, text)
    message = str(error.value)
    assert "card.yml" in message
    assert f"line {line}" in message
    assert problem in message


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="cannot read"):
        load_knowledge("nope.yml", SCHEMA, base_dir=tmp_path)


def test_empty_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="empty"):
        load(tmp_path, "# only a comment\n")
