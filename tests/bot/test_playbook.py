"""The playbook follows the coaching contract, and a broken file is refused with its line."""

import shutil
from pathlib import Path

import pytest

from bot.coaching_codes import GENERAL_AVOID_CODES, RECOMMENDED_FEEDBACK, STYLE_MISMATCH_CODES
from bot.knowledge_loader import KNOWLEDGE_DIR, KnowledgeError
from bot.playbook import load_playbook, read_playbook


def test_every_type_has_eight_phrasings_per_language_and_its_contract_codes() -> None:
    playbook = load_playbook()
    for customer_type, entry in playbook.types.items():
        assert len(entry["phrasings"]) >= 8
        assert all(item["zh"] and item["en"] for item in entry["phrasings"])
        assert len({item["setting"] for item in entry["phrasings"]}) >= 5
        assert entry["feedback"]["style"] == RECOMMENDED_FEEDBACK[customer_type]
        codes = {item["code"] for item in entry["avoid"]}
        assert set(STYLE_MISMATCH_CODES[customer_type]) <= codes


def test_general_rules_cover_every_phrase_to_avoid_and_six_steps() -> None:
    general = load_playbook().general
    assert [entry["code"] for entry in general["phrases_to_avoid"]] == list(GENERAL_AVOID_CODES)
    assert [step["step"] for step in general["complaint_steps"]] == [1, 2, 3, 4, 5, 6]


def test_better_alternatives_come_from_the_playbook() -> None:
    playbook = load_playbook()
    assert playbook.better_alternative("vague_time", "zh") == "今天下午3点前给您回复。"
    assert "3 pm" in (playbook.better_alternative("vague_time", "en") or "")
    assert playbook.better_alternative("cold", "en") is None


def test_type_card_is_in_one_language() -> None:
    card = load_playbook().type_card("harmonious", "en")
    assert card["feedback"]["style"] == "feeling"
    assert not any("\u4e00" <= char <= "\u9fff" for char in str(card))


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    shutil.copytree(KNOWLEDGE_DIR, tmp_path / "knowledge")
    return tmp_path / "knowledge"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_wrong_feedback_style_is_refused(knowledge_copy: Path) -> None:
    edit(knowledge_copy / "playbook" / "thinking.yml", "style: fact", "style: feeling")
    with pytest.raises(KnowledgeError, match=r"thinking\.yml: feedback style 'feeling'"):
        read_playbook(knowledge_copy)


def test_missing_style_code_is_refused(knowledge_copy: Path) -> None:
    edit(knowledge_copy / "playbook" / "social.yml", "code: cold", "code: over_promise")
    with pytest.raises(KnowledgeError, match="must include cold"):
        read_playbook(knowledge_copy)


def test_unknown_code_names_file_and_line(knowledge_copy: Path) -> None:
    edit(knowledge_copy / "playbook" / "general.yml", "code: cant_come", "code: cannot_come")
    with pytest.raises(KnowledgeError, match=r"general\.yml, line 1[0-9] .*expected one of"):
        read_playbook(knowledge_copy)


def test_too_few_phrasings_is_refused(knowledge_copy: Path) -> None:
    path = knowledge_copy / "playbook" / "power.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - setting: car_service")
    path.write_text(text[:start] + text[text.index("avoid:") :], encoding="utf-8")
    with pytest.raises(
        KnowledgeError, match=r"power\.yml, line \d+ \(phrasings\): needs at least 8"
    ):
        read_playbook(knowledge_copy)
