"""One role-play session: the simulated customer's state and how it reacts to each reply.

A session is a plain JSON-able dict (it lives in a Rasa slot). Every random choice comes from
`random.Random(f"{seed}:{turn}:{stage}")`, so the same seed and the same replies replay a
session line for line.
"""

import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Literal

from bot.coaching_codes import TYPE_CODES
from bot.complaint_steps import complaint_steps
from bot.customer_reading import CustomerReading, LineScores, line_scores, read_conversation
from bot.knowledge_loader import (
    ListOf,
    MapOf,
    Mapping,
    Number,
    OneOf,
    Text,
    load_knowledge,
)
from bot.language import SUPPORTED_LANGS, Lang, detect_language
from bot.reply_analyzer import FEEDBACK_CODES, ReplyAnalysis, analysis_payload, reply_analyzer
from bot.scenarios import BACKUP_STAGES, DIFFICULTIES, Difficulty, load_library

Outcome = Literal["good", "poor", "neutral"]
Status = Literal["active", "resolved", "customer_left", "turn_limit", "gave_up"]
GuessResult = Literal["right", "wrong", "again"]

LEAVES_AT = 4  # escalation level at which the customer walks away
BACKUP_FROM = 3  # on hard, from this level on the customer falls back on a backup style
RESOLVE_FROM_TURN = 2  # nobody settles on the first reply: they want to be heard first
DEFAULT_DIFFICULTY: Difficulty = "normal"

WORDS = MapOf(SUPPORTED_LANGS, ListOf(Text(max_length=30)))
RULES_SCHEMA = Mapping(
    required={
        "difficulties": MapOf(
            DIFFICULTIES,
            Mapping(
                required={
                    "start_level": Number(0, LEAVES_AT - 1),
                    "turn_limit": Number(2, 30),
                    "register": OneOf(("clear", "subtle")),
                    "tells": OneOf(("true", "false")),
                    "backup_style": OneOf(("true", "false")),
                    "strict_feedback": OneOf(("true", "false")),
                }
            ),
        ),
        "difficulty_words": MapOf(DIFFICULTIES, WORDS),
        "exam_words": WORDS,
        "exam_off_words": WORDS,
        "language_words": WORDS,
    }
)


@dataclass(frozen=True)
class DifficultyRules:
    start_level: int
    turn_limit: int
    register: Literal["clear", "subtle"]
    tells: bool
    backup_style: bool
    strict_feedback: bool


@dataclass(frozen=True)
class PracticeSettings:
    scenario: str
    customer_type: str
    difficulty: Difficulty
    lang: Lang
    exam: bool
    seed: int
    type_hidden: bool


@lru_cache(maxsize=1)
def practice_knowledge() -> dict[str, Any]:
    knowledge: dict[str, Any] = load_knowledge("practice.yml", RULES_SCHEMA)
    return knowledge


def rules_for(difficulty: str) -> DifficultyRules:
    raw = practice_knowledge()["difficulties"][difficulty]
    return DifficultyRules(
        start_level=int(raw["start_level"]),
        turn_limit=int(raw["turn_limit"]),
        register=raw["register"],
        tells=bool(raw["tells"]),
        backup_style=bool(raw["backup_style"]),
        strict_feedback=bool(raw["strict_feedback"]),
    )


def settings_with_defaults(
    seed: int,
    lang: Lang,
    scenario: str | None = None,
    customer_type: str | None = None,
    difficulty: Difficulty | None = None,
    exam: bool = False,
) -> PracticeSettings:
    """Fill what the trainee did not choose from the seed; a drawn type stays hidden."""
    rng = random.Random(f"{seed}:settings")
    library = load_library()
    return PracticeSettings(
        scenario=scenario or rng.choice(sorted(library.scenarios)),
        customer_type=customer_type or rng.choice(TYPE_CODES),
        difficulty=difficulty or DEFAULT_DIFFICULTY,
        lang=lang,
        exam=exam,
        seed=seed,
        type_hidden=customer_type is None,
    )


def new_session(settings: PracticeSettings) -> dict[str, Any]:
    """A fresh session with the customer's opening line."""
    rules = rules_for(settings.difficulty)
    opening = load_library().line(
        _rng(settings.seed, 0, "opening"),
        settings.scenario,
        settings.customer_type,
        settings.lang,
        "opening",
        rules.register,
        tell=rules.tells,
    )
    return {
        **asdict(settings),
        "level": rules.start_level,
        "turn": 0,
        "turn_limit": rules.turn_limit,
        "status": "active",
        "guess": None,
        "turns": [],
        "customer_lines": [{"text": opening, "stage": "opening"}],
    }


def take_turn(session: dict[str, Any], reply: str) -> dict[str, Any]:
    """Analyse a reply, move the customer's mood and add the customer's next line."""
    rules = rules_for(session["difficulty"])
    # The reply is checked in the language it is written in; the customer keeps the session's.
    lang = detect_language(reply) or session["lang"]
    analysis = reply_analyzer().analyze(reply, session["customer_type"], lang)
    good_moves = {flag.code for flag in analysis.flags if flag.severity == "good"}
    outcome = _outcome(analysis, good_moves, rules)
    avoid_count = sum(flag.severity == "avoid" for flag in analysis.flags)
    step = {"good": -1, "neutral": 0, "poor": 2 if rules.backup_style and avoid_count > 1 else 1}
    level = max(0, min(LEAVES_AT, session["level"] + step[outcome]))
    turn = session["turn"] + 1
    stage, status = _next_stage(outcome, level, good_moves, turn, rules.turn_limit)
    register: Literal["clear", "subtle", "backup"] = rules.register
    if rules.backup_style and level >= BACKUP_FROM and stage in BACKUP_STAGES:
        register = "backup"
    line = load_library().line(
        _rng(session["seed"], turn, stage),
        session["scenario"],
        session["customer_type"],
        session["lang"],
        stage,
        register,
        tell=rules.tells,
    )
    record = {
        "turn": turn,
        "reply": reply,
        "analysis": analysis_payload(analysis),
        "outcome": outcome,
        "level_before": session["level"],
        "level_after": level,
        "steps": complaint_steps().shown_in(reply, analysis),
        "stage": stage,
        "register": register,
    }
    return {
        **session,
        "level": level,
        "turn": turn,
        "status": status,
        "turns": [*session["turns"], record],
        "customer_lines": [*session["customer_lines"], {"text": line, "stage": stage}],
    }


def _outcome(analysis: ReplyAnalysis, good_moves: set[str], rules: DifficultyRules) -> Outcome:
    if any(flag.severity == "avoid" for flag in analysis.flags):
        return "poor"
    substantive = good_moves - set(FEEDBACK_CODES)
    if rules.strict_feedback and analysis.feedback_fits is False and not substantive:
        return "poor" if analysis.feedback_style != "none" else "neutral"
    if good_moves and (analysis.feedback_fits or not rules.strict_feedback or len(substantive) > 1):
        return "good"
    return "neutral"


def _next_stage(
    outcome: Outcome, level: int, good_moves: set[str], turn: int, turn_limit: int
) -> tuple[str, Status]:
    committed = "concrete_commitment" in good_moves
    if level >= LEAVES_AT:
        return "closing_dissatisfied", "customer_left"
    if outcome == "good" and committed and level == 0 and turn >= RESOLVE_FROM_TURN:
        return "closing_satisfied", "resolved"
    if turn >= turn_limit:
        return "closing_dissatisfied", "turn_limit"
    if outcome == "poor":
        return ("poor_last_warning" if level >= BACKUP_FROM else "poor_escalating"), "active"
    if committed:
        return "solution_doubt", "active"
    if "consultative_question" in good_moves:
        return "asked_question", "active"
    if outcome == "good":
        return ("good_calm" if level == 0 else "good_settling"), "active"
    return "neutral", "active"


def guess(session: dict[str, Any], customer_type: str) -> tuple[dict[str, Any], GuessResult]:
    """Record the trainee's first guess of the hidden type; later guesses do not count."""
    if session["guess"] is not None:
        return session, "again"
    correct = customer_type == session["customer_type"]
    recorded = {"type": customer_type, "turn": session["turn"] + 1, "correct": correct}
    return {**session, "guess": recorded}, "right" if correct else "wrong"


def give_up(session: dict[str, Any]) -> dict[str, Any]:
    return {**session, "status": "gave_up"}


def with_line_reading(
    session: dict[str, Any], index: int, intent_ranking: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """Attach the NLU model's reading of customer line `index` (Rasa's intent_ranking)."""
    scores = line_scores(intent_ranking)
    lines = list(session["customer_lines"])
    lines[index] = {**lines[index], "scores": scores.scores, "style_mass": scores.style_mass}
    return {**session, "customer_lines": lines}


def session_reading(session: dict[str, Any]) -> CustomerReading:
    """The model's conversation-level reading of the customer lines read so far."""
    return read_conversation(
        [
            LineScores(line["scores"], line["style_mass"])
            for line in session["customer_lines"]
            if "scores" in line
        ]
    )


def _rng(seed: int, turn: int, stage: str) -> random.Random:
    return random.Random(f"{seed}:{turn}:{stage}")
