"""The coaching card: who the customer is and how to talk to them, in one language.

Built as plain text for text-only channels and as a structured payload (type, scores,
axes, evidence, phrasings, things to avoid, feedback style) for the web app and Slack.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from bot.coaching_codes import UNDETERMINED
from bot.customer_reading import CustomerReading, shown_percent
from bot.customer_types import load_customer_types
from bot.evidence import Evidence
from bot.knowledge_loader import BILINGUAL, Mapping, load_knowledge
from bot.language import Lang
from bot.payloads import CoachingCardPayload, EvidencePayload, TypeTipsPayload
from bot.playbook import load_playbook
from bot.scenarios import setting_of

CARD_KEYS = (
    "title", "verdict", "undetermined", "no_style_yet", "types_close", "settle_directness",
    "settle_orientation", "axes", "direct", "indirect", "people", "facts",
    "evidence", "lines_read", "phrasings", "avoid", "feedback", "fact", "feeling", "summary",
    "from_answers", "which_type", "tips_title", "recognise",
)  # fmt: skip
TIPS_SHOWN = 3
CARD_SCHEMA = Mapping(required={key: BILINGUAL for key in CARD_KEYS})
MAX_CLUES = 6


@lru_cache(maxsize=1)
def coaching_card_texts() -> dict[str, Any]:
    texts: dict[str, Any] = load_knowledge("coaching_card.yml", CARD_SCHEMA)
    return texts


@dataclass(frozen=True)
class CoachingCard:
    text: str
    payload: CoachingCardPayload | TypeTipsPayload


def coaching_card(
    reading: CustomerReading,
    evidence: Sequence[Evidence],
    lines_read: int,
    lang: Lang,
    from_answers: bool = False,
    said: Sequence[str] = (),
) -> CoachingCard:
    """`from_answers`: the type came from the trainee's two axis answers, not the model;
    `said`: the customer's lines, so the phrasings shown first are those of their kind of case."""
    texts = {key: value[lang] for key, value in coaching_card_texts().items()}
    clues = list(dict.fromkeys(found.text for found in evidence))[:MAX_CLUES]
    payload: CoachingCardPayload = {
        "kind": "coaching_card",
        "lang": lang,
        "customer_type": reading.customer_type,
        "confidence": reading.confidence,
        "scores": reading.scores,
        "axes": {"directness": reading.axes.directness, "orientation": reading.axes.orientation},
        "evidence": [
            EvidencePayload(text=e.text, type=e.type, start=e.start, end=e.end, turn=e.turn)
            for e in evidence
        ],
        "lines_read": lines_read,
        "source": "axis_answers" if from_answers else "model",
    }
    lines = [texts["title"]]
    if reading.customer_type == UNDETERMINED:
        payload["reason"] = reading.reason
        payload["ask"] = reading.ask
        lines.append(undetermined_text(reading, lang))
    else:
        name = load_customer_types()[reading.customer_type].name[lang]
        if from_answers:
            lines.append(texts["from_answers"].format(type=name))
        else:
            confidence = shown_percent(reading.confidence)
            lines.append(texts["verdict"].format(type=name, confidence=confidence))
        direct = texts["direct"] if reading.axes.directness >= 0 else texts["indirect"]
        focus = texts["people"] if reading.axes.orientation >= 0 else texts["facts"]
        lines.append(texts["axes"].format(direct=direct, focus=focus))
        if clues:
            separator = "、" if lang == "zh" else ", "
            lines.append(texts["evidence"].format(words=separator.join(clues)))
        advice = _advice(reading.customer_type, lines_read, lang, setting_of(said, lang))
        payload["phrasings"] = advice["phrasings"]
        payload["avoid"] = advice["avoid"]
        payload["feedback"] = advice["feedback"]
        lines.extend(_advice_lines(advice, texts))
    if lines_read > 1:
        lines.append(texts["lines_read"].format(count=lines_read))
    return CoachingCard(text="\n".join(lines), payload=payload)


def undetermined_text(reading: CustomerReading, lang: Lang, with_question: bool = True) -> str:
    """Why the reading names no type yet, and the axis question that would settle it (left
    out where the chat asks it as a question with buttons)."""
    texts = {key: value[lang] for key, value in coaching_card_texts().items()}
    if reading.reason == "types_close":
        names = load_customer_types()
        first, second = sorted(reading.scores, key=reading.scores.__getitem__, reverse=True)[:2]
        why = texts["types_close"].format(
            first=names[first].name[lang], second=names[second].name[lang]
        )
    else:
        why = texts["no_style_yet"]
    if not with_question:
        return str(why)
    settle = texts["settle_" + (reading.ask or "directness")]
    return f"{why}{'' if lang == 'zh' else ' '}{settle}"


def type_tips_card(customer_type: str, lang: Lang) -> CoachingCard:
    """How to talk with one type, asked for directly ("思考型客户怎么沟通")."""
    texts = {key: value[lang] for key, value in coaching_card_texts().items()}
    profile = load_customer_types()[customer_type]
    advice = _advice(customer_type, 1, lang)
    card = load_playbook().type_card(customer_type, lang)
    lines = [texts["tips_title"].format(type=profile.name[lang]), profile.summary[lang]]
    lines.append(texts["recognise"])
    lines.extend(f"• {item}" for item in card["recognise"][:2])
    lines.extend(_advice_lines(advice, texts))
    # The panel and Slack show the phrasings the bubble shows, not the whole list.
    card["phrasings"] = [p for p in card["phrasings"] if p["text"] in advice["phrasings"]]
    payload = cast(
        TypeTipsPayload,
        {"kind": "type_tips", "lang": lang, "customer_type": customer_type, **card},
    )
    return CoachingCard(text="\n".join(lines), payload=payload)


def which_type_text(lang: Lang) -> str:
    return str(coaching_card_texts()["which_type"][lang])


def _advice_lines(advice: dict[str, Any], texts: dict[str, str]) -> list[str]:
    feedback = advice["feedback"]
    return [
        texts["phrasings"],
        *(f"• {phrasing}" for phrasing in advice["phrasings"]),
        texts["avoid"],
        *(f"• {item['text']}" for item in advice["avoid"]),
        texts["feedback"].format(style=texts[feedback["style"]], how=feedback["how"]),
    ]


def _advice(
    customer_type: str, lines_read: int, lang: Lang, setting: str | None = None
) -> dict[str, Any]:
    """Three phrasings (those of the customer's setting first, then a different three as the
    conversation goes on), three things to avoid and the feedback style, from the type's
    playbook card."""
    card = load_playbook().type_card(customer_type, lang)
    offset = (max(lines_read, 1) - 1) * TIPS_SHOWN % len(card["phrasings"])
    rotated = card["phrasings"][offset:] + card["phrasings"][:offset]
    # A hotel guest sees the room phrasing before the parcel one; a stable sort keeps the turn.
    rotated.sort(key=lambda item: item["setting"] != setting)
    phrasings = [item["text"] for item in rotated]
    return {
        "phrasings": phrasings[:TIPS_SHOWN],
        "avoid": [{"code": item["code"], "text": item["text"]} for item in card["avoid"]][
            :TIPS_SHOWN
        ],
        "feedback": card["feedback"],
    }
