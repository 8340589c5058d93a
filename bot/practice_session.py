"""One role-play session: a simulated customer who follows what the trainee actually says.

The customer's state is explicit: which of the type's needs (bot/customer_needs.py) and the
case's remedy are met, which times the trainee committed to, and how heated the customer is.
Each reply is judged once (bot/reply_analyzer.py) and read for its content
(bot/reply_content.py); the needs it meets cool the customer, the phrases to avoid heat them
by degrees, and the customer's next line is built from moves in the type's voice
(bot/scenarios.py) that answer the reply: take up the concrete offer, quote a vague phrase
back, answer the question, ask for what is still missing. The case settles only when the
type's key needs and the remedy are met and a concrete commitment is on the table.

A session is plain JSON (it lives in a Rasa slot). Every random choice comes from
`random.Random(f"{seed}:{turn}:{move}")`, so the same seed and replies replay line for line.
"""

import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Any, Literal, NotRequired, TypedDict, cast

from bot.coaching_codes import TYPE_CODES, CustomerType
from bot.customer_needs import Need, customer_needs
from bot.customer_reading import CustomerReading, LineScores, line_scores, read_conversation
from bot.knowledge_loader import ListOf, MapOf, Mapping, Number, OneOf, Text, load_knowledge
from bot.language import SUPPORTED_LANGS, Lang
from bot.payloads import AnalysisPayload
from bot.reply_analyzer import Flag, ReplyAnalysis, analysis_payload, reply_analyzer
from bot.reply_content import ReplyContent, reply_content
from bot.scenarios import DIFFICULTIES, Difficulty, Register, Scenario, load_library

Status = Literal["active", "awaiting_guess", "resolved", "customer_left", "turn_limit", "gave_up"]
Outcome = Literal["resolved", "customer_left", "turn_limit"]
GuessResult = Literal["right", "wrong", "again"]

MAX_HEAT = 12  # the customer leaves
HEAT_PER_MOOD = 3  # mood shown = heat // 3: 0 calm … 3 about to leave, 4 gone
LEAVES_AT = MAX_HEAT // HEAT_PER_MOOD
SETTLES_AT_MOOD = 1  # the case can settle once the customer is no more than upset
RESOLVE_FROM_TURN = 2  # nobody settles on the first reply: they want to be heard first
# How much one reply moves the customer's heat.
HEAT_PER_AVOID = 2  # per kind of problem in the reply, however often it appears
MAX_HEAT_PER_TURN = 4
HEAT_PER_NEED = -2
HEAT_EMPATHY_GIVEN = -1
HEAT_EMPATHY_MISSING = 1
HEAT_FEEDBACK_FITS = -1
HEAT_STRICT_MISFIT = 1
DEFAULT_DIFFICULTY: Difficulty = "normal"

WORDS = MapOf(SUPPORTED_LANGS, ListOf(Text(max_length=30)))
RULES_SCHEMA = Mapping(
    required={
        "difficulties": MapOf(
            DIFFICULTIES,
            Mapping(
                required={
                    "start_heat": Number(0, MAX_HEAT - 1),
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


class Guess(TypedDict):
    type: CustomerType
    turn: int
    correct: bool


class NeedMet(TypedDict):
    turn: int
    said: str  # the trainee's words that met it


class Commitment(TypedDict):
    turn: int
    time: str


class CustomerLineRecord(TypedDict):
    text: str
    moves: list[str]
    scores: NotRequired[dict[str, float]]  # the NLU model's reading of the line
    style_mass: NotRequired[float]


class TurnRecord(TypedDict):
    turn: int
    reply: str
    analysis: AnalysisPayload
    signals: list[str]
    needs_met: list[str]  # needs (and "remedy") first met by this reply
    heat_before: int
    heat_after: int
    level_before: int  # mood shown before and after
    level_after: int
    steps: list[str]
    moves: list[str]  # what the customer's answer was built from


class PracticeSession(TypedDict):
    scenario: str
    customer_type: CustomerType
    difficulty: Difficulty
    lang: Lang
    exam: bool
    seed: int
    type_hidden: bool
    replay: bool
    heat: int
    level: int  # mood shown: heat // 3
    turn: int
    turn_limit: int
    status: Status
    outcome: Outcome | None  # how the case ended, once it has
    guess: Guess | None
    needs: dict[str, NeedMet]  # need code (or "remedy") -> when and how it was met
    commitments: list[Commitment]
    turns: list[TurnRecord]
    customer_lines: list[CustomerLineRecord]


@dataclass(frozen=True)
class DifficultyRules:
    start_heat: int
    turn_limit: int
    register: Literal["clear", "subtle"]
    tells: bool
    backup_style: bool
    strict_feedback: bool


@dataclass(frozen=True)
class PracticeSettings:
    scenario: str
    customer_type: CustomerType
    difficulty: Difficulty
    lang: Lang
    exam: bool
    seed: int
    type_hidden: bool
    # The trainee chose the seed or retook a case: the same customer again, so a hidden type
    # may already be known (the scorecard says so and gives no points for naming it).
    replay: bool = False


@lru_cache(maxsize=1)
def practice_knowledge() -> dict[str, Any]:
    knowledge: dict[str, Any] = load_knowledge("practice.yml", RULES_SCHEMA)
    return knowledge


def rules_for(difficulty: str) -> DifficultyRules:
    raw = practice_knowledge()["difficulties"][difficulty]
    return DifficultyRules(
        start_heat=int(raw["start_heat"]),
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
    customer_type: CustomerType | None = None,
    difficulty: Difficulty | None = None,
    exam: bool = False,
    replay: bool = False,
    secret: str = "",
) -> PracticeSettings:
    """Fill what the trainee did not choose from the seed; a drawn type stays hidden.

    `secret` (the deployment's own, from the action server's environment) is mixed into the
    draw, so knowing a seed tells nobody which type it draws."""
    rng = random.Random(f"{secret}:{seed}:settings")
    library = load_library()
    drawn_scenario = scenario or rng.choice(sorted(library.scenarios))
    drawn_type: CustomerType = customer_type if customer_type else rng.choice(TYPE_CODES)
    return PracticeSettings(
        scenario=drawn_scenario,
        customer_type=drawn_type,
        difficulty=difficulty or DEFAULT_DIFFICULTY,
        lang=lang,
        exam=exam,
        seed=seed,
        type_hidden=customer_type is None,
        replay=replay,
    )


def settings_of(session: PracticeSession) -> PracticeSettings:
    """The options a session was started with (a retake replays them)."""
    return PracticeSettings(
        scenario=session["scenario"],
        customer_type=session["customer_type"],
        difficulty=session["difficulty"],
        lang=session["lang"],
        exam=session["exam"],
        seed=session["seed"],
        type_hidden=session["type_hidden"],
        replay=session.get("replay", False),
    )


def new_session(settings: PracticeSettings) -> PracticeSession:
    """A fresh session with the customer's opening line."""
    rules = rules_for(settings.difficulty)
    session: PracticeSession = {
        **asdict(settings),  # type: ignore[typeddict-item]
        "heat": rules.start_heat,
        "level": mood_of(rules.start_heat),
        "turn": 0,
        "turn_limit": rules.turn_limit,
        "status": "active",
        "outcome": None,
        "guess": None,
        "needs": {},
        "commitments": [],
        "turns": [],
        "customer_lines": [],
    }
    line = _say(session, 0, [("opening", {})], rules, tell=rules.tells)
    return {**session, "customer_lines": [line]}


def mood_of(heat: int) -> int:
    return min(LEAVES_AT, heat // HEAT_PER_MOOD)


def customer_said(session: PracticeSession) -> str:
    """The customer's words so far, less the trainee's own times they echoed back ("两点是吧？"):
    a time the customer named first is theirs, one the trainee promised stays the trainee's."""
    said = "\n".join(line["text"] for line in session["customer_lines"]).lower()
    for time in sorted({c["time"].lower() for c in session["commitments"]}, key=len, reverse=True):
        said = said.replace(time, " ")
    return said


def take_turn(session: PracticeSession, reply: str, lang: Lang) -> PracticeSession:
    """Judge one reply, move the customer and add the customer's answer to it."""
    rules = rules_for(session["difficulty"])
    customer_line = session["customer_lines"][-1]["text"]
    scenario = load_library().scenarios[session["scenario"]]
    analysis = _better_for_case(
        reply_analyzer().analyze(
            reply,
            session["customer_type"],
            customer_line=customer_line,
            lang=lang,
            upset=session["level"] >= 1,
        ),
        scenario,
        lang,
    )
    content = reply_content(reply, customer_said(session), scenario, lang)
    signals = _signals(analysis) | content.signals()
    if "content:written" in signals and session["commitments"]:
        signals.add("content:plan_in_writing")  # times promised earlier, now put in writing
    turn = session["turn"] + 1
    needs = dict(session["needs"])
    offered = any("content:scenario" in earlier["signals"] for earlier in session["turns"])
    newly = _newly_met(session["customer_type"], needs, signals, analysis, content, reply, offered)
    needs.update({code: NeedMet(turn=turn, said=said) for code, said in newly.items()})
    heat = _next_heat(session["heat"], analysis, len(newly), rules)
    commitments = [
        *session["commitments"],
        *(Commitment(turn=turn, time=time) for time in content.own_times),
    ]
    clean = not any(flag.severity == "avoid" for flag in analysis.flags)
    outcome = _outcome(session, needs, heat, turn, clean)
    status: Status = "active"
    if outcome is not None:
        status = (
            "awaiting_guess" if session["type_hidden"] and session["guess"] is None else outcome
        )
    moved: PracticeSession = {
        **session,
        "heat": heat,
        "level": mood_of(heat),
        "turn": turn,
        "status": status,
        "outcome": outcome,
        "needs": needs,
        "commitments": commitments,
    }
    moves = _answer_moves(moved, session, analysis, content, scenario.answers, reply, lang)
    line = _say(moved, turn, moves, rules, tell=rules.tells and turn % 2 == 0)
    record = TurnRecord(
        turn=turn,
        reply=reply,
        analysis=analysis_payload(analysis),
        signals=sorted(signals),
        needs_met=list(newly),
        heat_before=session["heat"],
        heat_after=heat,
        level_before=session["level"],
        level_after=mood_of(heat),
        steps=analysis.steps,
        moves=line["moves"],
    )
    return {
        **moved,
        "turns": [*session["turns"], record],
        "customer_lines": [*session["customer_lines"], line],
    }


def needs_of(session: PracticeSession) -> tuple[Need, ...]:
    return customer_needs()[session["customer_type"]]


def settled(session: PracticeSession) -> bool:
    """Every key need and the case's remedy are met."""
    needs = session["needs"]
    return "remedy" in needs and all(n.code in needs for n in needs_of(session) if n.key)


def _better_for_case(analysis: ReplyAnalysis, scenario: Scenario, lang: Lang) -> ReplyAnalysis:
    """Each flagged phrase's better phrasing said about this case (the hotel guest's room, not
    the playbook's analyzer); the explanation stays the customer type's."""
    flags = [
        flag if flag.severity == "good" else replace(flag, better=scenario.better[flag.code][lang])
        for flag in analysis.flags
    ]
    return replace(analysis, flags=flags)


def _signals(analysis: ReplyAnalysis) -> set[str]:
    found = {f"good:{flag.code}" for flag in analysis.flags if flag.severity == "good"}
    found |= {f"avoid:{flag.code}" for flag in analysis.flags if flag.severity == "avoid"}
    found |= {f"step:{step}" for step in analysis.steps}
    found.add(f"feedback:{analysis.feedback_style}")
    return found


def _newly_met(
    customer_type: str,
    met: dict[str, NeedMet],
    signals: set[str],
    analysis: ReplyAnalysis,
    content: ReplyContent,
    reply: str,
    offered: bool = False,
) -> dict[str, str]:
    """Needs this reply meets for the first time, each with the trainee's words that did it;
    `offered`: an earlier reply proposed the case's remedy, so a time now completes it."""
    newly: dict[str, str] = {}
    for need in customer_needs()[customer_type]:
        if need.code not in met and need.met_by(signals):
            newly[need.code] = _evidence(need, analysis, content, reply)
    # The case's remedy at a time of the trainee's own or of the customer's choosing, or done
    # on the call, is a commitment.
    vague = "avoid:vague_time" in signals
    timed = bool(content.own_times) or content.their_time
    if (
        "remedy" not in met
        and not vague
        and (((content.remedy or offered) and timed) or content.remedy_done)
    ):
        newly["remedy"] = _quote(reply)
    return newly


def _evidence(need: Need, analysis: ReplyAnalysis, content: ReplyContent, reply: str) -> str:
    wanted = {*need.any_of, *need.all_of}
    for flag in analysis.flags:
        if flag.severity != "good":
            continue
        style = flag.code.removesuffix("_feedback")
        signal = f"feedback:{style}" if style != flag.code else f"good:{flag.code}"
        if signal in wanted:
            return flag.text
    if "content:own_time" in wanted and content.own_times:
        return content.own_times[0]
    if "content:person" in wanted and content.people:
        return content.people[0]
    return _quote(reply)


def _problems(analysis: ReplyAnalysis) -> int:
    """Distinct problems in a reply: flags on overlapping words are one slip ("我们尽快处理" is
    both a vague time and no clear outcome, but one thing said), and a code is counted once
    however often it appears."""
    flags = [flag for flag in analysis.flags if flag.severity == "avoid"]
    group = list(range(len(flags)))

    def root(index: int) -> int:
        while group[index] != index:
            index = group[index]
        return index

    for i, first in enumerate(flags):
        for j in range(i):
            second = flags[j]
            overlap = first.start < second.end and second.start < first.end
            if overlap or first.code == second.code:
                group[root(i)] = root(j)
    return len({root(index) for index in range(len(flags))})


def _next_heat(heat: int, analysis: ReplyAnalysis, needs_met: int, rules: DifficultyRules) -> int:
    problems = _problems(analysis)
    backup = 1 if rules.backup_style and problems > 1 else 0
    change = min(MAX_HEAT_PER_TURN, HEAT_PER_AVOID * problems + backup) + HEAT_PER_NEED * needs_met
    if analysis.empathy == "given":
        change += HEAT_EMPATHY_GIVEN
    elif analysis.empathy == "missing":
        change += HEAT_EMPATHY_MISSING
    if analysis.feedback_fits:
        change += HEAT_FEEDBACK_FITS
    elif rules.strict_feedback and analysis.feedback_fits is False and not analysis.codes("good"):
        change += HEAT_STRICT_MISFIT  # the wrong feedback and nothing else of use
    return max(0, min(MAX_HEAT, heat + change))


def _outcome(
    session: PracticeSession,
    needs: dict[str, NeedMet],
    heat: int,
    turn: int,
    clean: bool,
) -> Outcome | None:
    """`clean`: the latest reply had no phrase to avoid (a slip never settles a case);
    `session` is the state before the reply."""
    if heat >= MAX_HEAT:
        return "customer_left"
    keys_met = all(n.code in needs for n in needs_of(session) if n.key)
    if (
        clean
        and heat <= session["heat"]  # a reply that made things worse settles nothing
        and keys_met
        and "remedy" in needs  # promised at a time of the trainee's own, or done on the call
        and mood_of(heat) <= SETTLES_AT_MOOD
        and turn >= RESOLVE_FROM_TURN
    ):
        return "resolved"
    if turn >= session["turn_limit"]:
        return "turn_limit"
    return None


Move = tuple[str, dict[str, str]]


def _answer_moves(
    now: PracticeSession,
    before: PracticeSession,
    analysis: ReplyAnalysis,
    content: ReplyContent,
    answers: Sequence[Any],
    reply: str,
    lang: Lang,
) -> list[Move]:
    """What the customer's next line is built from: a reaction to the reply, then what they
    still want — or the closing line when the case has ended."""
    if now["outcome"] == "resolved":
        return [("closing_satisfied", {})]
    if now["outcome"] is not None:
        return [("closing_dissatisfied", {})]
    reactions: list[Move] = []
    if content.own_times:  # a concrete offer is always taken up
        reactions.append(("ack_offer", {"offer": content.own_times[0]}))
    slip = _worst_slip(analysis)
    if slip is not None and slip.code == "vague_time" and before["commitments"]:
        reactions.append(
            ("changed_commitment", {"before": before["commitments"][0]["time"], "after": slip.text})
        )
    elif slip is not None and slip.code == "vague_time":
        reactions.append(("quote_vague", {"phrase": slip.text}))
    elif slip is not None:
        reactions.append((f"slip_{slip.code}", {"phrase": slip.text}))
    if content.question:
        answer = _answer_for(reply, answers, lang)
        if answer is not None:
            reactions.append(("answer", {"answer": answer}))
    if content.people:
        reactions.append(("ack_person", {"person": content.people[0]}))
    elif content.owner:
        reactions.append(("ack_owner", {}))
    moves = reactions[:2]
    if len(moves) < 2:
        moves.append(_still_wanted(now, before, slip is not None))
    return moves


def _still_wanted(now: PracticeSession, before: PracticeSession, slipped: bool) -> Move:
    if now["level"] >= LEAVES_AT - 1:
        return ("last_warning", {})
    missing = [n for n in needs_of(now) if n.code not in now["needs"]]
    missing.sort(key=lambda need: not need.key)
    if missing:
        return (f"need_{missing[0].code}", {})
    if "remedy" not in now["needs"]:
        return ("pressing", {})
    if now["heat"] < before["heat"] and not slipped:
        return ("warmer", {})
    if now["commitments"]:
        return ("remind_commitment", {"promise": now["commitments"][0]["time"]})
    return ("pressing", {})


def _worst_slip(analysis: ReplyAnalysis) -> Flag | None:
    avoids = [flag for flag in analysis.flags if flag.severity == "avoid"]
    return max(avoids, key=lambda flag: flag.confidence) if avoids else None


def _answer_for(reply: str, answers: Sequence[Any], lang: Lang) -> str | None:
    """The scenario's answer to the question the trainee asked, if the customer knows it."""
    lowered = reply.lower()
    for answer in answers:
        if any(word.lower() in lowered for word in answer.about[lang]):
            return str(answer.answer[lang])
    return None


def _say(
    session: PracticeSession, turn: int, moves: list[Move], rules: DifficultyRules, tell: bool
) -> CustomerLineRecord:
    library = load_library()
    parts = []
    for move, quotes in moves:
        register: Register = rules.register
        if (
            rules.backup_style
            and session["level"] >= LEAVES_AT - 1
            and move in ("last_warning", "pressing", "closing_dissatisfied")
        ):
            register = "backup"
        rng = random.Random(f"{session['seed']}:{turn}:{move}")
        parts.append(
            library.line(
                rng,
                session["scenario"],
                session["customer_type"],
                session["lang"],
                move,
                register,
                **quotes,
            )
        )
    if tell:
        parts.append(
            library.tell(
                random.Random(f"{session['seed']}:{turn}:tell"),
                session["customer_type"],
                session["lang"],
            )
        )
    joiner = "" if session["lang"] == "zh" else " "
    return CustomerLineRecord(text=joiner.join(parts), moves=[move for move, _ in moves])


def guess(
    session: PracticeSession, customer_type: CustomerType
) -> tuple[PracticeSession, GuessResult]:
    """Record the trainee's first guess of the type; later guesses do not count. A guess asked
    for at the end of a case closes it."""
    if session["guess"] is not None:
        return session, "again"
    correct = customer_type == session["customer_type"]
    recorded = Guess(type=customer_type, turn=session["turn"] + 1, correct=correct)
    status = (
        session["outcome"]
        if session["status"] == "awaiting_guess" and session["outcome"]
        else session["status"]
    )
    return {**session, "guess": recorded, "status": status}, "right" if correct else "wrong"


def give_up(session: PracticeSession) -> PracticeSession:
    """End the session; a case that already ended keeps its outcome (the guess is skipped)."""
    if session["status"] == "awaiting_guess" and session["outcome"]:
        return {**session, "status": session["outcome"]}
    return {**session, "status": "gave_up"}


def with_line_reading(
    session: PracticeSession, index: int, intent_ranking: Sequence[dict[str, Any]]
) -> PracticeSession:
    """Attach the NLU model's reading of customer line `index` (Rasa's intent_ranking)."""
    scores = line_scores(intent_ranking)
    lines = list(session["customer_lines"])
    lines[index] = {**lines[index], "scores": scores.scores, "style_mass": scores.style_mass}
    return {**session, "customer_lines": lines}


def session_reading(session: PracticeSession) -> CustomerReading:
    """The model's conversation-level reading of the customer lines read so far."""
    return read_conversation(
        [
            LineScores(line["scores"], line["style_mass"])
            for line in session["customer_lines"]
            if "scores" in line and "style_mass" in line
        ]
    )


def as_session(value: object) -> PracticeSession | None:
    """The `practice` slot's value as a session (None when no session was started)."""
    return (
        cast(PracticeSession, value) if isinstance(value, dict) and value.get("scenario") else None
    )


def _quote(reply: str, limit: int = 60) -> str:
    text = reply.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
