"""What the trainee sees during role-play: the start card, the coach's note after each turn,
the guess answers and the scorecard. Each comes as text (chat, Slack) and a payload (web panel).
"""

from functools import lru_cache
from typing import Any

from bot.coaching_card import coaching_card_texts
from bot.coaching_codes import TYPE_CODES, UNDETERMINED
from bot.complaint_steps import complaint_steps
from bot.customer_reading import shown_percent
from bot.customer_types import load_customer_types
from bot.evidence import evidence_finder
from bot.knowledge_loader import BILINGUAL, Mapping, load_knowledge
from bot.language import Lang
from bot.payloads import NeedPayload, PracticeStartPayload, PracticeTurnPayload, ScorecardPayload
from bot.practice_session import LEAVES_AT, PracticeSession, needs_of, session_reading
from bot.review_card import review_card_texts
from bot.scenarios import load_library

PRACTICE_KEYS = (
    "start_title", "scenario_line", "difficulty_line", "type_hidden", "type_shown", "how_to",
    "exam_note", "customer_says", "difficulty_easy", "difficulty_normal", "difficulty_hard",
    "turn_title", "feedback_fits", "feedback_misfit", "feedback_none", "mood_line",
    *(f"mood_{level}" for level in range(LEAVES_AT + 1)),
    "guess_right", "guess_wrong", "guess_recorded", "guess_again", "guess_unclear",
    "no_session", "exam_on", "exam_off", "ended_resolved", "ended_customer_left",
    "ended_turn_limit", "ended_gave_up", "scorecard_title", "scorecard_case",
    "type_guessed_right", "type_guessed_wrong", "type_not_guessed", "hygiene_line",
    "style_line", "feedback_line", "steps_line", "steps_none", "steps_out_of_order",
    "commitments_line", "reading_line", "reading_undetermined", "improvements_title",
    "improvement_line", "retake_hint", "no_retake", "needs_words", "guess_prompt", "guess_skip",
    "guess_first", "still_needs", "needs_title", "need_met_line", "need_missed_line",
    "remedy_met_line", "remedy_missed_line", "exam_fixed",
)  # fmt: skip
PRACTICE_SCHEMA = Mapping(required={key: BILINGUAL for key in PRACTICE_KEYS})
QUOTE_LIMIT = 60  # characters of the trainee's reply quoted on the scorecard


@lru_cache(maxsize=1)
def practice_texts() -> dict[str, Any]:
    texts: dict[str, Any] = load_knowledge("practice_card.yml", PRACTICE_SCHEMA)
    return texts


def practice_text(key: str, lang: Lang, **values: object) -> str:
    return str(practice_texts()[key][lang]).format(**values)


def type_name(customer_type: str, lang: Lang) -> str:
    return load_customer_types()[customer_type].name[lang]


def start_card(session: PracticeSession) -> str:
    lang = session["lang"]
    scenario = load_library().scenarios[session["scenario"]]
    lines = [
        practice_text("start_title", lang),
        practice_text("scenario_line", lang, title=scenario.title[lang]),
        scenario.brief[lang],
        practice_text(
            "difficulty_line",
            lang,
            difficulty=practice_text(f"difficulty_{session['difficulty']}", lang),
        ),
        practice_text("type_hidden", lang)
        if session["type_hidden"]
        else practice_text("type_shown", lang, type=type_name(session["customer_type"], lang)),
        practice_text("how_to", lang),
    ]
    if session["exam"]:
        lines.append(practice_text("exam_note", lang))
    return "\n".join(lines)


def customer_line_text(session: PracticeSession, index: int = -1) -> str:
    line = session["customer_lines"][index]["text"]
    return practice_text("customer_says", session["lang"], line=line)


def turn_card(session: PracticeSession) -> str:
    """The coach's note on the latest reply: score, flags, feedback style and mood change."""
    lang = session["lang"]
    turn = session["turns"][-1]
    analysis = turn["analysis"]
    review = {key: value[lang] for key, value in review_card_texts().items()}
    lines = [practice_text("turn_title", lang, turn=turn["turn"], score=analysis["score"])]
    templates = {"avoid": "avoid_line", "tip": "tip_line", "good": "good_line"}
    for severity in ("avoid", "tip", "good"):
        lines.extend(
            review[templates[severity]].format(
                text=flag["text"], explanation=flag["explanation"], better=flag["better"] or ""
            )
            for flag in analysis["flags"]
            if flag["severity"] == severity
        )
    style = analysis["feedback_style"]
    if style == "none":
        lines.append(practice_text("feedback_none", lang))
    else:
        key = "feedback_fits" if analysis["feedback_fits"] else "feedback_misfit"
        lines.append(practice_text(key, lang, style=coaching_card_texts()[style][lang]))
    lines.append(
        practice_text(
            "mood_line",
            lang,
            before=practice_text(f"mood_{turn['level_before']}", lang),
            after=practice_text(f"mood_{turn['level_after']}", lang),
        )
    )
    missing = [need.name[lang] for need in needs_of(session) if need.code not in session["needs"]]
    if type_known(session) and missing and session["status"] == "active":
        separator = "、" if lang == "zh" else ", "
        lines.append(practice_text("still_needs", lang, needs=separator.join(missing)))
    return "\n".join(lines)


def type_known(session: PracticeSession) -> bool:
    """The trainee knows the type: it was shown from the start, or they have guessed."""
    return not session["type_hidden"] or session["guess"] is not None


def guess_prompt(session: PracticeSession) -> tuple[str, list[dict[str, str]]]:
    """Asked when the case ends before the trainee guessed: a chance to guess, or to skip."""
    lang = session["lang"]
    buttons = [
        {"title": type_name(code, lang), "payload": f'/guess_type{{"customer_type": "{code}"}}'}
        for code in TYPE_CODES
    ]
    buttons.append({"title": practice_text("guess_skip", lang), "payload": "/give_up"})
    return practice_text("guess_prompt", lang), buttons


def start_payload(session: PracticeSession) -> PracticeStartPayload:
    """The panel's data for a new session; the type (and the seed that draws it) stay out
    while the type is hidden."""
    payload: PracticeStartPayload = {
        "kind": "practice_start",
        "scenario": session["scenario"],
        "difficulty": session["difficulty"],
        "lang": session["lang"],
        "exam": session["exam"],
        "customer_type": None if session["type_hidden"] else session["customer_type"],
        "turn_limit": session["turn_limit"],
    }
    return payload


def turn_payload(session: PracticeSession) -> PracticeTurnPayload:
    """The panel's data for one turn. While the type is hidden the panel gets what the trainee
    can observe (the customer's cue words) and type-neutral phrasings for the case, never the
    model's reading, its corner or the type's needs; exam mode gets none of the coaching."""
    lang = session["lang"]
    known = type_known(session)
    payload: PracticeTurnPayload = {
        "kind": "practice_turn",
        "turn": session["turn"],
        "customer_line": session["customer_lines"][-1]["text"],
        "mood": session["level"],
        "status": session["status"],
        "exam": session["exam"],
        "type_known": known,
    }
    if session["exam"]:
        return payload
    if session["turns"]:
        payload["analysis"] = session["turns"][-1]["analysis"]
    line = session["customer_lines"][-1]["text"]
    payload["cues"] = list(
        dict.fromkeys(found.text for found in evidence_finder().find(line, lang))
    )
    scenario = load_library().scenarios[session["scenario"]]
    if not known:
        payload["phrasings"] = list(scenario.phrasings[lang])
        return payload
    missing = [need for need in needs_of(session) if need.code not in session["needs"]]
    advice = [need.advice[lang].format(remedy=scenario.remedy[lang]) for need in missing]
    payload["phrasings"] = (advice or list(scenario.phrasings[lang]))[:3]
    payload["needs"] = [
        NeedPayload(
            code=need.code,
            name=need.name[lang],
            key=need.key,
            met=need.code in session["needs"],
            said=session["needs"][need.code]["said"] if need.code in session["needs"] else None,
        )
        for need in needs_of(session)
    ]
    reading = session_reading(session)
    if reading.style_evidence:
        payload["reading"] = {
            "customer_type": reading.customer_type,
            "confidence": reading.confidence,
            "scores": reading.scores,
            "axes": {
                "directness": reading.axes.directness,
                "orientation": reading.axes.orientation,
            },
        }
    return payload


def ending_text(session: PracticeSession) -> str:
    ended = session["outcome"] if session["status"] == "awaiting_guess" else session["status"]
    return practice_text(f"ended_{ended}", session["lang"], limit=session["turn_limit"])


def scorecard_text(card: ScorecardPayload) -> str:
    lang = card["lang"]
    scenario = load_library().scenarios[card["scenario"]]
    name = type_name(card["customer_type"], lang)
    lines = [
        practice_text("scorecard_title", lang, score=card["score"]),
        practice_text(
            "scorecard_case",
            lang,
            title=scenario.title[lang],
            difficulty=practice_text(f"difficulty_{card['difficulty']}", lang),
            turns=card["turns"],
        ),
        _type_line(card, name, lang),
        *_needs_lines(card, lang),
        practice_text(
            "hygiene_line",
            lang,
            total=card["phrase_hygiene"]["total"],
            per_reply=" ".join(str(n) for n in card["phrase_hygiene"]["avoid_per_reply"]) or "-",
        ),
        practice_text("style_line", lang, **card["style_fit"]),
        practice_text(
            "feedback_line", lang, fits=card["feedback_fit"]["fits"], of=card["feedback_fit"]["of"]
        ),
        *_steps_lines(card, lang),
        practice_text("commitments_line", lang, **card["commitments"]),
    ]
    reading = card["reading"]
    if reading is not None:
        if reading["customer_type"] == UNDETERMINED:
            lines.append(practice_text("reading_undetermined", lang))
        else:
            lines.append(
                practice_text(
                    "reading_line",
                    lang,
                    type=type_name(reading["customer_type"], lang),
                    confidence=shown_percent(reading["confidence"]),
                )
            )
    if card["improvements"]:
        lines.append(practice_text("improvements_title", lang))
        lines.extend(
            f"{number}. "
            + practice_text(
                "improvement_line",
                lang,
                turn=item["turn"],
                said=_quote(item["said"]),
                better=item["better"],
            )
            for number, item in enumerate(card["improvements"], start=1)
        )
    lines.append(practice_text("retake_hint", lang))
    return "\n".join(lines)


def _needs_lines(card: ScorecardPayload, lang: Lang) -> list[str]:
    """What this customer needed, met (with the trainee's words) or missed (with advice)."""
    needs = card["needs"]
    lines = [
        practice_text("needs_title", lang, met=sum(need["met"] for need in needs), of=len(needs))
    ]
    for need in needs:
        if need["met"]:
            lines.append(
                practice_text(
                    "need_met_line", lang, name=need["name"], said=_quote(need["said"] or "")
                )
            )
        else:
            lines.append(
                practice_text("need_missed_line", lang, name=need["name"], advice=need["advice"])
            )
    remedy = card["remedy"]
    if remedy["met"]:
        lines.append(practice_text("remedy_met_line", lang, said=_quote(remedy["said"] or "")))
    else:
        lines.append(practice_text("remedy_missed_line", lang, remedy=remedy["text"]))
    return lines


def _type_line(card: ScorecardPayload, name: str, lang: Lang) -> str:
    guess = card["type_identified"]
    if guess["guess"] is None:
        return practice_text("type_not_guessed", lang, type=name)
    if guess["correct"]:
        return practice_text("type_guessed_right", lang, type=name, turn=guess["turn"])
    return practice_text(
        "type_guessed_wrong",
        lang,
        type=name,
        turn=guess["turn"],
        guess=type_name(guess["guess"], lang),
    )


def _steps_lines(card: ScorecardPayload, lang: Lang) -> list[str]:
    steps = complaint_steps()
    covered = card["complaint_steps"]["covered"]
    if not covered:
        return [practice_text("steps_none", lang)]
    separator = "、" if lang == "zh" else ", "
    names = separator.join(steps.name(item["step"], lang) for item in covered)
    lines = [practice_text("steps_line", lang, covered=len(covered), names=names)]
    out_of_order = card["complaint_steps"]["out_of_order"]
    if out_of_order:
        late, early = out_of_order
        lines.append(
            practice_text(
                "steps_out_of_order",
                lang,
                late=steps.name(late, lang),
                early=steps.name(early, lang),
            )
        )
    return lines


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"
