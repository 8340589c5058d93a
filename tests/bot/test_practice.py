"""Role-play: the scenario library, scripted agents played through whole sessions, the scorecard."""

import itertools
import shutil
from pathlib import Path

import pytest

from bot import scorecard
from bot.coaching_codes import TYPE_CODES, CustomerType
from bot.customer_needs import need_codes
from bot.knowledge_loader import KNOWLEDGE_DIR, KnowledgeError
from bot.language import detect_language
from bot.practice_options import options_from_text
from bot.practice_session import (
    PracticeSession,
    give_up,
    guess,
    new_session,
    session_reading,
    settings_with_defaults,
    take_turn,
    with_line_reading,
)
from bot.reply_analyzer import reply_analyzer
from bot.reply_model import STYLE_OWNER
from bot.scenarios import BASE_MOVES, Difficulty, load_library, read_library
from bot.scorecard import build_scorecard
from testkit.practice_scripts import SCRIPTS, script, script_pairs

LANGS = ("zh", "en")
SCENARIOS = sorted(load_library().scenarios)
ALL_CASES = list(itertools.product(SCENARIOS, TYPE_CODES, LANGS))


def play(
    scenario: str,
    customer_type: CustomerType,
    lang: str,
    replies: tuple[str, ...] | list[str],
    difficulty: Difficulty = "normal",
    seed: int = 11,
) -> PracticeSession:
    settings = settings_with_defaults(
        seed=seed,
        lang=lang,
        scenario=scenario,
        customer_type=customer_type,
        difficulty=difficulty,  # type: ignore[arg-type]
    )
    session = new_session(settings)
    for reply in replies:
        if session["status"] != "active":
            break
        session = take_turn(session, reply, detect_language(reply) or session["lang"])
    return session


def test_library_has_eight_scenarios_from_the_decks_settings() -> None:
    library = load_library()
    assert len(library.scenarios) >= 8
    assert {s.setting for s in library.scenarios.values()} >= {
        "lab_equipment", "renovation", "ecommerce", "hotel", "telecom", "bank_card", "car_service",
    }  # fmt: skip


@pytest.mark.parametrize(("scenario", "customer_type", "lang"), ALL_CASES)
def test_every_move_has_several_filled_lines(scenario: str, customer_type: str, lang: str) -> None:
    library = load_library()
    quotes = {"offer": "3 pm", "person": "Li", "phrase": "soon", "answer": "it is red"}
    quotes |= {"before": "2 pm", "after": "soon", "promise": "2 pm"}
    moves = (*BASE_MOVES, *(f"need_{code}" for code in need_codes(customer_type)))
    for move in moves:
        for register in ("clear", "subtle", "backup"):
            lines = library.variants(scenario, customer_type, lang, move, register, **quotes)  # type: ignore[arg-type]
            assert len(set(lines)) >= 2, (move, register)
            assert not any("{" in line or "}" in line for line in lines)


@pytest.mark.parametrize(
    "folder",
    [SCRIPTS, SCRIPTS.parent / "practice_scripts_extra", SCRIPTS.parent / "practice_scripts_third"],
)
@pytest.mark.parametrize("lang", LANGS)
def test_scripted_strong_agents_settle_and_weak_ones_do_not(lang: str, folder: Path) -> None:
    """Agents written apart from the product (the three tuning sets of bench/), on normal."""
    pairs = [pair for pair in script_pairs(folder) if pair.lang == lang]
    settled = gaps = 0
    for number, pair in enumerate(pairs):
        strong = play(pair.scenario, pair.customer_type, lang, pair.strong, seed=number)
        weak = play(pair.scenario, pair.customer_type, lang, pair.weak, seed=number)
        assert weak["status"] != "resolved", pair.id
        settled += strong["status"] == "resolved" and build_scorecard(strong)["score"] >= 70
        gaps += build_scorecard(strong)["score"] - build_scorecard(weak)["score"] >= 30
    assert settled >= 0.9 * len(pairs)
    assert gaps >= 0.9 * len(pairs)


def test_hard_customer_falls_back_on_the_backup_style_under_pressure() -> None:
    weak = play(
        "analyzer_down", "power", "zh", script("analyzer_down", "power", "zh", "weak"), "hard"
    )
    assert weak["status"] == "customer_left"
    backup = load_library().variants(
        "analyzer_down", "power", "zh", "closing_dissatisfied", "backup"
    )
    assert weak["customer_lines"][-1]["text"] in backup


def test_easy_lines_carry_an_extra_telling_line() -> None:
    session = play("hotel_room", "social", "en", [], "easy")
    tells = load_library().voices["social"].tells["en"]
    assert any(session["customer_lines"][0]["text"].endswith(tell) for tell in tells)


def test_turn_limit_closes_the_session() -> None:
    """Polite, sorry and nothing settled: the customer neither leaves nor is satisfied."""
    polite = ["I'm so sorry about this, I understand.", "I'm sorry, that must be awful."] * 6
    session = play("birthday_parcel", "social", "en", polite)
    assert session["status"] == "turn_limit"
    assert session["turn"] == session["turn_limit"]


def test_only_the_first_guess_counts() -> None:
    session = play("hotel_room", "power", "zh", script("hotel_room", "power", "zh")[:1])
    session, first = guess(session, "thinking")
    session, second = guess(session, "power")
    assert (first, second) == ("wrong", "again")
    card = build_scorecard(give_up({**session, "type_hidden": True}))
    assert card["type_identified"] == {
        "hidden": True,
        "guess": "thinking",
        "correct": False,
        "turn": 2,
    }
    assert card["outcome"] == "gave_up"


def test_scorecard_names_needs_with_the_trainees_own_words() -> None:
    replies = script("hotel_room", "thinking", "en")
    session = play("hotel_room", "thinking", "en", replies)
    card = build_scorecard(session)
    met = [need for need in card["needs"] if need["met"]]
    assert met and all(need["said"] for need in met)
    spoken = " ".join(replies)
    assert all(need["said"].rstrip("…") in spoken for need in met)
    missed = [need for need in card["needs"] if not need["met"]]
    assert all(need["advice"] for need in missed)


def test_scorecard_points_at_the_trainees_own_words() -> None:
    weak = script("broadband_outage", "thinking", "zh", "weak")
    session = play(
        "broadband_outage", "thinking", "zh", ["我觉得应该没问题，我们会尽快处理。", *weak]
    )
    card = build_scorecard(session)
    assert len(card["improvements"]) == 3
    replies = [turn["reply"] for turn in session["turns"]]
    for item in card["improvements"]:
        assert item["said"] in replies[item["turn"] - 1]
        assert item["better"]
    assert card["phrase_hygiene"]["total"] == sum(card["phrase_hygiene"]["avoid_per_reply"])


def test_the_better_feedback_is_said_about_this_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scorecard, "IMPROVEMENTS", 99)  # every candidate, not the top three
    session = play("hotel_room", "thinking", "en", ["We'll sort it out.", "Leave it with me."])
    better = {item["code"]: item["better"] for item in build_scorecard(session)["improvements"]}
    example = load_library().scenarios["hotel_room"].feedback_examples["fact"]["en"]
    assert better["feedback_style"] == example and "3021" in example  # the room, not an alarm


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_each_cases_feedback_examples_read_as_their_style(scenario: str) -> None:
    case = load_library().scenarios[scenario]
    for style, texts in case.feedback_examples.items():
        for lang, text in texts.items():
            analysis = reply_analyzer().analyze(text, customer_line=case.facts[lang]["problem"])
            assert analysis.feedback_style == style, (lang, text)
            assert not analysis.codes("avoid"), (lang, text)


def test_a_flagged_phrase_gets_a_better_phrasing_about_this_case() -> None:
    session = play("hotel_room", "power", "en", ["It's company policy, nothing I can change."])
    flags = session["turns"][0]["analysis"]["flags"]
    case = load_library().scenarios["hotel_room"]
    avoided = [flag for flag in flags if flag["severity"] != "good"]
    assert avoided and all(flag["better"] == case.better[flag["code"]]["en"] for flag in avoided)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_each_cases_better_phrasings_have_nothing_to_avoid(scenario: str) -> None:
    case = load_library().scenarios[scenario]
    for code, texts in case.better.items():
        for lang, text in texts.items():
            for customer_type in [STYLE_OWNER[code]] if code in STYLE_OWNER else TYPE_CODES:
                analysis = reply_analyzer().analyze(
                    text, customer_type, customer_line=case.facts[lang]["problem"], lang=lang
                )
                assert not analysis.codes("avoid"), (code, customer_type, lang, text)


def test_patience_counts_for_the_replies_that_kept_it() -> None:
    gentle = "您别着急，我们慢慢来，您看明天上午十点师傅上门可以吗？"
    pushy = "您就说要不要吧，别再犹豫了，赶紧决定。"
    calm = play("hotel_room", "harmonious", "zh", [gentle, gentle])
    pushed = play("hotel_room", "harmonious", "zh", [gentle, pushy])
    assert "avoid:too_direct" in pushed["turns"][1]["signals"] or (
        "avoid:rhetorical_pushback" in pushed["turns"][1]["signals"]
    )
    assert "patience" in pushed["needs"]  # met once, then broken
    assert (
        build_scorecard(pushed)["components"]["needs"]
        < build_scorecard(calm)["components"]["needs"]
    )


def test_a_remedy_done_on_the_call_counts_as_a_concrete_commitment() -> None:
    session = play("card_blocked", "harmonious", "en", ["I've lifted the block on your card."])
    card = build_scorecard(session)
    assert card["commitments"] == {"concrete": 0, "vague": 0}
    assert card["components"]["commitments"] == 5


def test_model_reading_of_customer_lines_feeds_the_scorecard() -> None:
    session = play("hotel_room", "power", "en", [])
    ranking = [
        {"name": "customer_power", "confidence": 0.9},
        {"name": "customer_thinking", "confidence": 0.1},
    ]
    session = with_line_reading(session, 0, ranking)
    assert session_reading(session).customer_type == "power"
    reading = build_scorecard(session)["reading"]
    assert reading is not None and reading["agrees"] is True


def test_typed_options_choose_scenario_type_difficulty_and_exam() -> None:
    options = options_from_text("开始练习 宽带 思考型 困难 考试模式 seed 42")
    assert (options.scenario, options.customer_type, options.difficulty) == (
        "broadband_outage", "thinking", "hard",
    )  # fmt: skip
    assert options.exam is True and options.seed == 42
    assert options_from_text("practice").scenario is None


def test_broken_voice_file_names_file_and_problem(tmp_path: Path) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, copy)
    voice = copy / "scenarios" / "voices" / "social.yml"
    text = voice.read_text(encoding="utf-8")
    voice.write_text(text.replace("{offer}", "{offered}", 1), encoding="utf-8")
    with pytest.raises(
        KnowledgeError, match=r"social\.yml \(.*\): unknown placeholder \{offered\}"
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
