"""Role-play: the scenario library, the simulated customer's reactions and the scorecard."""

import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.coaching_codes import TYPE_CODES
from bot.knowledge_loader import KNOWLEDGE_DIR, KnowledgeError
from bot.practice_options import exam_requested, options_from_text
from bot.practice_session import (
    give_up,
    guess,
    new_session,
    session_reading,
    settings_with_defaults,
    take_turn,
    with_line_reading,
)
from bot.scenarios import DIFFICULTIES, STAGES, load_library, read_library
from bot.scorecard import build_scorecard
from testkit.practice_scripts import STRONG, WEAK

LANGS = ("zh", "en")
SCENARIOS = sorted(load_library().scenarios)
ALL_CASES = list(itertools.product(SCENARIOS, TYPE_CODES, LANGS))


def play(
    scenario: str, customer_type: str, lang: str, replies: list[str], difficulty: str = "normal"
) -> dict[str, Any]:
    settings = settings_with_defaults(
        seed=11,
        lang=lang,
        scenario=scenario,
        customer_type=customer_type,
        difficulty=difficulty,  # type: ignore[arg-type]
    )
    session = new_session(settings)
    for reply in replies:
        if session["status"] != "active":
            break
        session = take_turn(session, reply)
    return session


def test_library_has_eight_scenarios_from_the_decks_settings() -> None:
    library = load_library()
    assert len(library.scenarios) >= 8
    assert {s.setting for s in library.scenarios.values()} >= {
        "lab_equipment", "renovation", "ecommerce", "hotel", "telecom", "bank_card", "car_service",
    }  # fmt: skip


@pytest.mark.parametrize(("scenario", "customer_type", "lang"), ALL_CASES)
def test_every_stage_has_several_filled_lines(scenario: str, customer_type: str, lang: str) -> None:
    library = load_library()
    for stage in STAGES:
        for register in ("clear", "subtle", "backup"):
            lines = library.variants(scenario, customer_type, lang, stage, register)  # type: ignore[arg-type]
            assert len(set(lines)) >= 2, (stage, register)
            assert not any("{" in line or "}" in line for line in lines)


@pytest.mark.parametrize(("scenario", "customer_type", "lang"), ALL_CASES)
def test_strong_trainee_satisfies_and_outscores_weak_trainee(
    scenario: str, customer_type: str, lang: str
) -> None:
    strong = play(scenario, customer_type, lang, STRONG[customer_type][lang])
    weak = play(scenario, customer_type, lang, WEAK[lang] * 2)

    assert strong["status"] == "resolved"
    assert strong["customer_lines"][-1]["stage"] == "closing_satisfied"
    assert weak["status"] == "customer_left"
    assert [turn["level_after"] for turn in weak["turns"]] == sorted(
        turn["level_after"] for turn in weak["turns"]
    )
    assert weak["level"] > weak["turns"][0]["level_before"]
    assert build_scorecard(strong)["score"] > build_scorecard(weak)["score"] + 30


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_strong_and_weak_differ_at_every_difficulty(difficulty: str) -> None:
    strong = play("card_blocked", "thinking", "zh", STRONG["thinking"]["zh"], difficulty)
    weak = play("card_blocked", "thinking", "zh", WEAK["zh"] * 2, difficulty)
    assert (strong["status"], weak["status"]) == ("resolved", "customer_left")


def test_hard_customer_falls_back_on_the_backup_style_under_pressure() -> None:
    weak = play("analyzer_down", "harmonious", "zh", WEAK["zh"], "hard")
    library = load_library()
    backup_lines = library.variants(
        "analyzer_down", "harmonious", "zh", "closing_dissatisfied", "backup"
    )
    assert weak["customer_lines"][-1]["text"] in backup_lines
    assert weak["turns"][-1]["register"] == "backup"


def test_same_seed_and_replies_replay_the_session_exactly() -> None:
    def run() -> dict[str, Any]:
        session = new_session(settings_with_defaults(seed=2024, lang="en"))
        for reply in ["I understand.", "That's company policy.", "You said it broke at 8."]:
            session = take_turn(session, reply)
        return session

    first, second = run(), run()
    assert first == second
    other = new_session(settings_with_defaults(seed=2025, lang="en"))
    assert (other["scenario"], other["customer_type"], other["customer_lines"][0]) != (
        first["scenario"],
        first["customer_type"],
        first["customer_lines"][0],
    )


def test_easy_lines_carry_an_extra_telling_line() -> None:
    session = play("hotel_room", "social", "en", [], "easy")
    tells = load_library().voices["social"].tells["en"]
    assert any(session["customer_lines"][0]["text"].endswith(tell) for tell in tells)


def test_turn_limit_closes_the_session() -> None:
    neutral = ["Okay.", "Right.", "Noted, thanks."] * 4
    session = play("birthday_parcel", "power", "en", neutral)
    assert session["status"] == "turn_limit"
    assert session["turn"] == session["turn_limit"]


def test_only_the_first_guess_counts() -> None:
    session = play("hotel_room", "power", "zh", STRONG["power"]["zh"][:1])
    session, first = guess(session, "thinking")
    session, second = guess(session, "power")
    assert (first, second) == ("wrong", "again")
    card = build_scorecard(give_up(session))
    assert card["type_identified"] == {"guess": "thinking", "correct": False, "turn": 2}
    assert card["outcome"] == "gave_up"


def test_scorecard_points_at_the_trainees_own_words() -> None:
    session = play(
        "broadband_outage", "thinking", "zh", ["我觉得应该没问题，我们会尽快处理。", *WEAK["zh"]]
    )
    card = build_scorecard(session)
    assert len(card["improvements"]) == 3
    replies = [turn["reply"] for turn in session["turns"]]
    for item in card["improvements"]:
        assert item["said"] in replies[item["turn"] - 1]
        assert item["better"]
    assert card["commitments"]["vague"] >= 1
    assert card["phrase_hygiene"]["total"] == sum(card["phrase_hygiene"]["avoid_per_reply"])


def test_complaint_steps_are_reported_in_order() -> None:
    replies = [
        "非常抱歉让您久等了，您一定很着急。",
        "我们可以这样解决：今天下午3点前工程师到场。您看这样可以吗？",
        "修好后我明天上午回访，我们也会改进流程，避免再次发生。",
    ]
    session = play("analyzer_down", "social", "zh", replies, "easy")
    steps = build_scorecard(session)["complaint_steps"]
    assert [item["step"] for item in steps["covered"]][:3] == ["calm", "propose", "agree"]
    assert steps["in_order"] is True


def test_model_reading_of_customer_lines_feeds_the_scorecard() -> None:
    session = play("hotel_room", "power", "en", [])
    ranking = [
        {"name": "customer_power", "confidence": 0.9},
        {"name": "customer_thinking", "confidence": 0.1},
    ]
    session = with_line_reading(session, 0, ranking)
    assert session_reading(session).customer_type == "power"
    assert build_scorecard(session)["reading"]["agrees"] is True


def test_typed_options_choose_scenario_type_difficulty_and_exam() -> None:
    options = options_from_text("开始练习 宽带 思考型 困难 考试模式 seed 42")
    assert (options.scenario, options.customer_type, options.difficulty) == (
        "broadband_outage", "thinking", "hard",
    )  # fmt: skip
    assert options.exam is True and options.seed == 42
    assert exam_requested("exam mode off") is False
    assert options_from_text("practice").scenario is None


def test_broken_voice_file_names_file_and_problem(tmp_path: Path) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, copy)
    voice = copy / "scenarios" / "voices" / "social.yml"
    voice.write_text(
        voice.read_text(encoding="utf-8").replace("{people}", "{friends}", 1), encoding="utf-8"
    )
    with pytest.raises(
        KnowledgeError, match=r"social\.yml \(clear\.zh\.opening\): unknown placeholder \{friends\}"
    ):
        read_library(copy)


def test_scenario_missing_a_fact_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, copy)
    scenario = copy / "scenarios" / "hotel_room.yml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("    wish: 换成我订的房间\n", ""), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"hotel_room\.yml, line \d+ .*missing key\(s\): wish"):
        read_library(copy)
