"""The scorecard that closes a role-play session: what the customer needed and got, the score,
what to change.

Everything is computed from the session's own record (each reply's analysis and the needs it
met, the commitments, the guess, how the case ended), so a coach can trace every number back
to the transcript, and every need met or missed is shown with the trainee's own words.
"""

from typing import Any

from bot.coaching_codes import COMPLAINT_STEPS as STEPS
from bot.coaching_codes import RECOMMENDED_FEEDBACK, STYLE_MISMATCH_CODES
from bot.complaint_steps import complaint_steps, coverage
from bot.customer_needs import Need
from bot.payloads import ScorecardPayload
from bot.playbook import load_playbook
from bot.practice_session import PracticeSession, needs_of, session_reading
from bot.scenarios import load_library

# Points per part of the overall 0-100 score.
WEIGHTS = {
    "needs": 35,  # the customer type's needs met (key needs count double)
    "remedy": 10,  # the case's own remedy offered with a time
    "outcome": 15,  # how the case ended
    "hygiene": 15,  # share of replies with no phrase to avoid
    "feedback": 10,  # share of replies whose listening feedback suits the type
    "steps": 5,  # complaint-handling steps covered, in order
    "type": 5,  # the hidden type guessed right (full marks when the type was shown)
    "commitments": 5,  # concrete commitments against vague ones (or the remedy done on the call)
}
OUTCOME_SHARE = {"resolved": 1.0, "turn_limit": 0.2, "customer_left": 0.0, "gave_up": 0.0}
ORDER_PENALTY = 0.2  # share of the steps part lost when the steps came out of order
IMPROVEMENTS = 3


def build_scorecard(session: PracticeSession) -> ScorecardPayload:
    turns = session["turns"]
    count = len(turns)
    customer_type = session["customer_type"]
    lang = session["lang"]
    avoid_counts = [_count(turn, "avoid") for turn in turns]
    style_codes = set(STYLE_MISMATCH_CODES[customer_type])
    style_fits = sum(not (_codes(turn, "avoid") & style_codes) for turn in turns)
    feedback_fits = sum(bool(turn["analysis"]["feedback_fits"]) for turn in turns)
    steps = coverage([turn["steps"] for turn in turns])
    concrete = len(session["commitments"])
    vague = sum(
        flag["code"] == "vague_time" and flag["severity"] == "avoid"
        for turn in turns
        for flag in turn["analysis"]["flags"]
    )
    needs = needs_of(session)
    met = session["needs"]
    weight = {need.code: 2 if need.key else 1 for need in needs}
    guess = session["guess"]
    outcome = session["outcome"] or session["status"]
    shares = {
        "needs": sum(weight[n.code] * _kept(n, session) for n in needs) / sum(weight.values()),
        "remedy": 1.0 if "remedy" in met else 0.0,
        "outcome": OUTCOME_SHARE.get(outcome, 0.0),
        "hygiene": avoid_counts.count(0) / count if count else 0.0,
        "feedback": feedback_fits / count if count else 0.0,
        "steps": len(steps.covered) / len(STEPS) * (1 if steps.in_order else 1 - ORDER_PENALTY),
        "type": _type_share(session),
        "commitments": _commitment_share(concrete, vague, "remedy" in met),
    }
    components = {part: round(WEIGHTS[part] * share, 1) for part, share in shares.items()}
    reading = session_reading(session)
    scenario = load_library().scenarios[session["scenario"]]
    return {
        "kind": "practice_scorecard",
        "scenario": session["scenario"],
        "customer_type": customer_type,
        "difficulty": session["difficulty"],
        "lang": lang,
        "seed": session["seed"],
        "exam": session["exam"],
        "replay": session.get("replay", False),
        "outcome": outcome,
        "turns": count,
        "final_mood": session["level"],
        "score": round(sum(components.values())),
        "components": components,
        "needs": [
            {
                "code": need.code,
                "name": need.name[lang],
                "key": need.key,
                "met": need.code in met,
                "turn": met[need.code]["turn"] if need.code in met else None,
                "said": met[need.code]["said"] if need.code in met else None,
                "advice": None
                if need.code in met
                else need.advice[lang].format(remedy=scenario.remedy[lang]),
            }
            for need in needs
        ],
        "remedy": {
            "text": scenario.remedy[lang],
            "met": "remedy" in met,
            "turn": met["remedy"]["turn"] if "remedy" in met else None,
            "said": met["remedy"]["said"] if "remedy" in met else None,
        },
        "type_identified": {
            "hidden": session["type_hidden"],
            "guess": guess["type"] if guess else None,
            "correct": guess["correct"] if guess else None,
            "turn": guess["turn"] if guess else None,
        },
        "phrase_hygiene": {"avoid_per_reply": avoid_counts, "total": sum(avoid_counts)},
        "style_fit": {"fits": style_fits, "of": count},
        "feedback_fit": {
            "fits": feedback_fits,
            "of": count,
            "styles": [turn["analysis"]["feedback_style"] for turn in turns],
        },
        "complaint_steps": {
            "covered": [{"step": step, "turn": turn} for step, turn in steps.covered.items()],
            "missing": [step for step in STEPS if step not in steps.covered],
            "in_order": steps.in_order,
            "out_of_order": list(steps.out_of_order) if steps.out_of_order else None,
        },
        "commitments": {"concrete": concrete, "vague": vague},
        "reading": {
            "customer_type": reading.customer_type,
            "confidence": reading.confidence,
            "scores": reading.scores,
            "agrees": reading.customer_type == customer_type,
        }
        if any("scores" in line for line in session["customer_lines"])
        else None,
        "improvements": _improvements(session, count),
    }


def _kept(need: Need, session: PracticeSession) -> float:
    """How much of a need's credit the conversation earned: a need that is only the absence
    of something ("patience, no pressure") holds for the share of replies that kept it."""
    if need.code not in session["needs"]:
        return 0.0
    if not need.only_absence:
        return 1.0
    turns = session["turns"]
    kept = sum(not set(need.none_of) & set(turn["signals"]) for turn in turns)
    return kept / len(turns)


def _commitment_share(concrete: int, vague: int, remedy_met: bool) -> float:
    """Concrete promises against vague ones; a remedy carried out on the call with no promise
    left to time is as good as a concrete one."""
    if concrete + vague:
        return concrete / (concrete + vague)
    return 1.0 if remedy_met else 0.0


def _type_share(session: PracticeSession) -> float:
    """Naming the type counts when it was hidden and this is not a replay of a known case;
    when the type was shown from the start there was nothing to identify."""
    if not session["type_hidden"]:
        return 1.0
    guess = session["guess"]
    if session.get("replay", False) or not guess:
        return 0.0
    return 1.0 if guess["correct"] else 0.0


def _improvements(session: PracticeSession, count: int) -> list[dict[str, Any]]:
    """The changes worth most points, each quoting the trainee's own words."""
    lang = session["lang"]
    customer_type = session["customer_type"]
    playbook = load_playbook()
    scenario = load_library().scenarios[session["scenario"]]
    per_reply = 1 / max(count, 1)
    candidates: list[dict[str, Any]] = []
    turns = session["turns"]
    for turn in turns:
        for flag in turn["analysis"]["flags"]:
            if flag["severity"] != "avoid" or not flag["better"]:
                continue
            gain = WEIGHTS["hygiene"] * per_reply / _count(turn, "avoid")
            if flag["code"] == "vague_time":
                gain += WEIGHTS["commitments"] * per_reply
            candidates.append(
                _improvement(
                    turn["turn"],
                    flag["code"],
                    flag["text"],
                    flag["better"],
                    flag["explanation"],
                    gain,
                )
            )
        if turn["analysis"]["feedback_fits"] is False:
            example = scenario.feedback_examples[RECOMMENDED_FEEDBACK[customer_type]][lang]
            style = playbook.types[customer_type]["feedback"][lang]
            candidates.append(
                _improvement(
                    turn["turn"],
                    "feedback_style",
                    turn["reply"],
                    example,
                    style,
                    WEIGHTS["feedback"] * per_reply,
                )
            )
    if turns:
        last = turns[-1]
        needs = needs_of(session)
        total = sum(2 if need.key else 1 for need in needs)
        for need in needs:
            if need.code not in session["needs"]:
                advice = need.advice[lang].format(remedy=scenario.remedy[lang])
                gain = WEIGHTS["needs"] * (2 if need.key else 1) / total
                candidates.append(
                    _improvement(
                        last["turn"],
                        f"need_{need.code}",
                        last["reply"],
                        advice,
                        need.name[lang],
                        gain,
                    )
                )
        covered = {step for turn in turns for step in turn["steps"]}
        steps = complaint_steps()
        for step in STEPS:
            if step not in covered:
                candidates.append(
                    _improvement(
                        last["turn"],
                        f"step_{step}",
                        last["reply"],
                        steps.example(step, lang),
                        steps.name(step, lang),
                        WEIGHTS["steps"] / len(STEPS),
                    )
                )
    candidates.sort(key=lambda item: (-item["gain"], item["turn"]))
    chosen: list[dict[str, Any]] = []
    seen: set[str] = set()
    for candidate in candidates:
        if candidate["code"] in seen:
            continue
        seen.add(candidate["code"])
        chosen.append(candidate)
        if len(chosen) == IMPROVEMENTS:
            break
    return chosen


def _improvement(
    turn: int, code: str, said: str, better: str, why: str, gain: float
) -> dict[str, Any]:
    return {
        "turn": turn,
        "code": code,
        "said": said,
        "better": better,
        "why": why,
        "gain": round(gain, 1),
    }


def _count(turn: Any, severity: str) -> int:
    return sum(flag["severity"] == severity for flag in turn["analysis"]["flags"])


def _codes(turn: Any, severity: str) -> set[str]:
    return {flag["code"] for flag in turn["analysis"]["flags"] if flag["severity"] == severity}
