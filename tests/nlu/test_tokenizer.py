"""The spaCy pipeline config.yml loads tokenizes Chinese by word and English sensibly."""

from pathlib import Path
from typing import Any

import pytest
import spacy
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def nlp() -> Any:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    model_dir = next(step["model"] for step in config["pipeline"] if step["name"] == "SpacyNLP")
    return spacy.load(ROOT / model_dir)


def tokens(nlp: Any, text: str) -> list[str]:
    return [token.text for token in nlp(text)]


def test_chinese_is_segmented_into_words(nlp: Any) -> None:
    assert tokens(nlp, "生化分析仪早上八点前必须修好") == [
        "生化", "分析仪", "早上", "八点", "前", "必须", "修好",
    ]  # fmt: skip


def test_english_splits_on_spaces_and_punctuation(nlp: Any) -> None:
    assert tokens(nlp, "When will the engineer arrive? It's urgent!") == [
        "When", "will", "the", "engineer", "arrive", "?", "It", "'", "s", "urgent", "!",
    ]  # fmt: skip


def test_mixed_text_and_emoji_keep_their_pieces(nlp: Any) -> None:
    words = tokens(nlp, "我的 iPhone 屏幕坏了😡")
    assert "iPhone" in words and "屏幕" in words and "😡" in "".join(words)
