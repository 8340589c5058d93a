"""The help card shows the four customer types and what the trainee can type, per language."""

import pytest

from bot.coaching_codes import TYPE_CODES
from bot.customer_types import CONTRACT_CORNERS, load_customer_types
from bot.help_card import build_help_card


def test_shipped_customer_types_follow_the_contract() -> None:
    types = load_customer_types()
    assert tuple(types) == TYPE_CODES
    for code, customer_type in types.items():
        assert (customer_type.directness, customer_type.orientation) == CONTRACT_CORNERS[code]
        assert customer_type.name["zh"] and customer_type.name["en"]


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("zh", ["权力型", "社交型", "和谐型", "思考型"]),
        ("en", ["Power", "Social", "Harmonious", "Thinking"]),
    ],
)
def test_help_card_lists_every_type_in_its_language(lang: str, names: list[str]) -> None:
    text = build_help_card(lang).as_text()  # type: ignore[arg-type]
    for name in names:
        assert name in text


def test_chinese_and_english_cards_differ_and_keep_chinese_punctuation() -> None:
    zh = build_help_card("zh").as_text()
    en = build_help_card("en").as_text()
    assert zh != en
    assert "权力型：" in zh
    assert "帮助" in zh and "help" in en
    assert not any("\u4e00" <= char <= "\u9fff" for char in en)
