"""The reading card names the type, its position and the clues, in the trainee's language."""

from bot.customer_reading import no_signal, read_conversation
from bot.evidence import evidence_finder
from bot.reading_card import reading_card
from tests.bot.test_customer_reading import styled


def test_chinese_card_for_a_power_customer() -> None:
    text = "你们到底几点派人来？别跟我绕弯子"
    card = reading_card(
        read_conversation([styled("power", 0.95)]), evidence_finder().find(text, "zh"), 1, "zh"
    )
    assert "权力型" in card
    assert "表达直接" in card and "注重客观事实" in card
    assert "几点" in card and "绕弯子" in card


def test_english_card_counts_the_lines_read() -> None:
    reading = read_conversation([styled("social"), styled("social")])
    card = reading_card(reading, [], 2, "en")
    assert "Social" in card and "people-focused" in card
    assert "2 customer lines" in card


def test_undetermined_card_asks_for_more() -> None:
    card = reading_card(read_conversation([no_signal()]), [], 1, "en")
    assert "Not enough" in card
    assert "%" not in card
