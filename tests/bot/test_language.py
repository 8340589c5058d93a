"""The reply language follows what the user last wrote."""

import pytest

from bot.language import detect_language, normalize_lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你好，教练", "zh"),
        ("分析仪早上8点前必须修好", "zh"),
        ("我的 iPhone 屏幕坏了", "zh"),
        ("hello coach", "en"),
        ("my wardrobe arrived 5cm too short", "en"),
        ("Please call 王 back", "en"),
        ("OK 好的好的", "zh"),
    ],
)
def test_detects_the_language_of_a_message(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "🙂👍", "12345", "?!", "配送が遅れています", "Где мой заказ?", "배송이 늦어요"],
)
def test_text_without_a_supported_language_has_none(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    ("value", "expected"), [("en", "en"), ("en-GB", "en"), ("zh", "zh"), (None, "zh"), ("fr", "zh")]
)
def test_unknown_or_missing_language_falls_back_to_chinese(
    value: str | None, expected: str
) -> None:
    assert normalize_lang(value) == expected
