"""The scorecard that closes a role-play session: what went well, the score, what to change.

Everything is computed from the session's own record (each reply's analysis, the steps it
showed, the guess, the outcome), so a coach can trace every number back to the transcript.
"""

from typing import Any

from bot.coaching_codes import STYLE_MISMATCH_CODES
from bot.complaint_steps import STEPS, complaint_steps, coverage
from bot.payloads import ScorecardPayload
from bot.playbook import load_playbook
from bot.practice_session import session_reading

# Points per part of the overall 0-100 score.
WEIGHTS = {
    "replies": 35,  # mean reply score from the analyzer
    "hygiene": 15,  # share of replies with no phrase to avoid
    "style": 10,  # share of replies without a style mismatch for the customer's type
    "feedback": 10,  # share of replies whose feedback style suits the type
    "steps": 10,  # complaint-handling steps covered, in order
    "commitments": 5,  # concrete commitments against vague ones
    "type": 5,  # the hidden type guessed right
    "outcome": 10,  # how the session ended
}
OUTCOME_SHARE = {"resolved": 1.0, "turn_limit": 0.3, "customer_left": 0.0, "gave_up": 0.0}
ORDER_PENALTY = 0.2  # share of the steps part lost when the steps came out of order
IMPROVEMENTS = 3


def build_scorecard(session: dict[str, Any]) -> ScorecardPayload:
    turns = session["turns"]
    count = len(turns)
    customer_type = session["customer_type"]
    avoid_counts = [_count(turn, "avoid") for turn in turns]
    style_codes = set(STYLE_MISMATCH_CODES[customer_type])
    style_fits = sum(not (_codes(turn, "avoid") & style_codes) for turn in turns)
    feedback_fits = sum(bool(turn["analysis"]["feedback_fits"]) for turn in turns)
    steps = coverage([turn["steps"] for turn in turns])
    concrete = sum("concrete_commitment" in _codes(turn, "good") for turn in turns)
    vague = sum(
        flag["code"] == "vague_time" for turn in turns for flag in turn["analysis"]["flags"]
    )
    guess = session["guess"]
    shares = {
        "replies": sum(turn["analysis"]["score"] for turn in turns) / (100 * count)
        if count
        else 0.0,
        "hygiene": avoid_counts.count(0) / count if count else 0.0,
        "style": style_fits / count if count else 0.0,
        "feedback": feedback_fits / count if count else 0.0,
        "steps": len(steps.covered) / len(STEPS) * (1 if steps.in_order else 1 - ORDER_PENALTY),
        "commitments": concrete / (concrete + vague) if concrete + vague else 0.0,
        "type": 1.0 if guess and guess["correct"] else 0.0,
        "outcome": OUTCOME_SHARE.get(session["status"], 0.0),
    }
    components = {part: round(WEIGHTS[part] * share, 1) for part, share in shares.items()}
    reading = session_reading(session)
    return {
        "kind": "practice_scorecard",
        "scenario": session["scenario"],
        "customer_type": customer_type,
        "difficulty": session["difficulty"],
        "lang": session["lang"],
        "seed": session["seed"],
        "exam": session["exam"],
        "outcome": session["status"],
        "turns": count,
        "final_mood": session["level"],
        "score": round(sum(components.values())),
        "components": components,
        "type_identified": {
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


def _improvements(session: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """The changes worth most points, each quoting the trainee's own words."""
    lang = session["lang"]
    customer_type = session["customer_type"]
    playbook = load_playbook()
    per_reply = WEIGHTS["replies"] / max(count, 1) / 100
    candidates: list[dict[str, Any]] = []
    for turn in session["turns"]:
        for flag in turn["analysis"]["flags"]:
            if flag["severity"] != "avoid" or not flag["better"]:
                continue
            gain = 15 * per_reply + WEIGHTS["hygiene"] / max(count, 1) / _count(turn, "avoid")
            if flag["code"] in STYLE_MISMATCH_CODES[customer_type]:
                gain += WEIGHTS["style"] / max(count, 1)
            if flag["code"] == "vague_time":
                gain += WEIGHTS["commitments"] / max(count, 1)
            candidates.append(
                _improvement(
                    turn, flag["code"], flag["text"], flag["better"], flag["explanation"], gain
                )
            )
        if turn["analysis"]["feedback_fits"] is False:
            example = playbook.types[customer_type]["feedback"]["examples"][0][lang]
            gain = 10 * per_reply + WEIGHTS["feedback"] / max(count, 1)
            style = playbook.types[customer_type]["feedback"][lang]
            candidates.append(
                _improvement(turn, "feedback_style", turn["reply"], example, style, gain)
            )
    if session["turns"]:
        last = session["turns"][-1]
        covered = {step for turn in session["turns"] for step in turn["steps"]}
        steps = complaint_steps()
        for step in STEPS:
            if step not in covered:
                candidates.append(
                    _improvement(
                        last,
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
    turn: dict[str, Any], code: str, said: str, better: str, why: str, gain: float
) -> dict[str, Any]:
    return {
        "turn": turn["turn"],
        "code": code,
        "said": said,
        "better": better,
        "why": why,
        "gain": round(gain, 1),
    }


def _count(turn: dict[str, Any], severity: str) -> int:
    return sum(flag["severity"] == severity for flag in turn["analysis"]["flags"])


def _codes(turn: dict[str, Any], severity: str) -> set[str]:
    return {flag["code"] for flag in turn["analysis"]["flags"] if flag["severity"] == severity}
