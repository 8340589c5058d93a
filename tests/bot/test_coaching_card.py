"""The coaching card names the type, its position, the clues, and how to talk to the customer."""

from bot.coaching_card import coaching_card, type_tips_card
from bot.customer_reading import no_signal, read_conversation
from bot.evidence import evidence_finder
from bot.language import Lang
from bot.playbook import load_playbook
from bot.scenarios import setting_of
from tests.bot.test_customer_reading import styled


def test_chinese_card_for_a_power_customer() -> None:
    text = "你们到底几点派人来？别跟我绕弯子"
    card = coaching_card(
        read_conversation([styled("power", 0.95)]), evidence_finder().find(text, "zh"), 1, "zh"
    )
    assert "权力型" in card.text
    assert "表达直接" in card.text and "注重客观事实" in card.text
    assert "几点" in card.text and "绕弯子" in card.text
    assert "总结性反馈" in card.text
    assert len(card.payload["phrasings"]) == 3 and len(card.payload["avoid"]) == 3
    assert card.payload["customer_type"] == "power"
    assert card.payload["feedback"]["style"] == "summary"
    assert {e["text"] for e in card.payload["evidence"]} >= {"几点", "绕弯子"}


def test_english_card_counts_lines_and_rotates_phrasings() -> None:
    first = coaching_card(read_conversation([styled("social")]), [], 1, "en")
    second = coaching_card(read_conversation([styled("social"), styled("social")]), [], 2, "en")
    assert "Social" in second.text and "people-focused" in second.text
    assert "2 customer lines" in second.text
    assert "Feedback style: feeling" in second.text
    assert first.payload["phrasings"] != second.payload["phrasings"]
    assert not any("\u4e00" <= char <= "\u9fff" for char in second.text)


def test_undetermined_card_asks_for_more_and_gives_no_advice() -> None:
    card = coaching_card(read_conversation([no_signal()]), [], 1, "en")
    assert "no style cue" in card.text and "%" not in card.text
    assert "directly or indirectly" in card.text  # the question that would settle it
    assert card.payload["customer_type"] == "undetermined"
    assert (card.payload["reason"], card.payload["ask"]) == ("no_style_yet", "directness")
    assert "phrasings" not in card.payload


def test_type_tips_payload_carries_the_phrasings_the_bubble_shows() -> None:
    for lang in ("zh", "en"):
        card = type_tips_card("thinking", lang)
        shown = [p["text"] for p in card.payload["phrasings"]]
        assert shown and all(text in card.text for text in shown)


def test_phrasings_of_the_customers_own_case_come_first() -> None:
    said: dict[Lang, list[str]] = {
        "zh": ["我订的是海景大床房，你们给的却是朝内院的双床房，今天必须换。"],
        "en": ["I booked a sea-view king and got a twin facing the courtyard. Move us now."],
    }
    for lang, lines in said.items():
        card = coaching_card(read_conversation([styled("power")]), [], 1, lang, said=lines)
        hotel = [
            p["text"]
            for p in load_playbook().type_card("power", lang)["phrasings"]
            if p["setting"] == "hotel"
        ]
        first = str(card.payload["phrasings"][0])
        assert first in hotel  # not the analyzer or the wardrobe
        assert first in card.text  # the bubble says the same


def test_a_line_about_no_case_in_particular_names_no_setting() -> None:
    assert setting_of(["好的。"], "zh") is None and setting_of(["Yes."], "en") is None
    assert setting_of(["宽带从昨晚断到现在"], "zh") == "telecom"
    assert setting_of(["The check engine light came on"], "en") == "car_service"
