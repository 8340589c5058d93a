"""The reply-check card: score, flags with better phrasings, and the feedback style."""

from functools import lru_cache
from typing import Any

from bot.coaching_card import coaching_card_texts
from bot.coaching_codes import RECOMMENDED_FEEDBACK, CustomerType
from bot.customer_types import load_customer_types
from bot.knowledge_loader import BILINGUAL, Mapping, load_knowledge
from bot.language import Lang
from bot.payloads import ReplyReviewPayload
from bot.reply_analyzer import ReplyAnalysis, analysis_payload, reply_analyzer

REVIEW_KEYS = (
    "title", "score", "for_type", "no_type", "avoid_line", "tip_line", "good_line",
    "feedback_fits", "feedback_other", "feedback_none_for_type", "feedback_none",
    "feedback_used", "empty", "empathy_line",
)  # fmt: skip
REVIEW_SCHEMA = Mapping(required={key: BILINGUAL for key in REVIEW_KEYS})


@lru_cache(maxsize=1)
def review_card_texts() -> dict[str, Any]:
    texts: dict[str, Any] = load_knowledge("review_card.yml", REVIEW_SCHEMA)
    return texts


def empty_draft_text(lang: Lang) -> str:
    return str(review_card_texts()["empty"][lang])


def review_card(
    analysis: ReplyAnalysis, customer_type: CustomerType | None, lang: Lang
) -> tuple[str, ReplyReviewPayload]:
    """Text for text-only channels and a payload for the web app and Slack."""
    texts = {key: value[lang] for key, value in review_card_texts().items()}
    style_names = {key: coaching_card_texts()[key][lang] for key in ("fact", "feeling", "summary")}
    payload: ReplyReviewPayload = {
        "kind": "reply_review",
        "customer_type": customer_type,
        **analysis_payload(analysis),
        "lang": lang,
    }
    unreadable = reply_analyzer().unreadable_note(analysis, lang)
    if unreadable is not None:
        return "\n".join([texts["title"], unreadable]), payload
    lines = [texts["title"], texts["score"].format(score=analysis.score)]
    if customer_type:
        name = load_customer_types()[customer_type].name[lang]
        lines.append(texts["for_type"].format(type=name))
    else:
        lines.append(texts["no_type"])
    templates = {"avoid": "avoid_line", "tip": "tip_line", "good": "good_line"}
    for severity in ("avoid", "tip", "good"):
        lines.extend(
            texts[templates[severity]].format(
                text=flag.text, explanation=flag.explanation, better=flag.better or ""
            )
            for flag in analysis.flags
            if flag.severity == severity
        )
    lines.append(_feedback_line(analysis, customer_type, texts, style_names))
    if analysis.empathy == "missing":
        lines.append(texts["empathy_line"].format(note=reply_analyzer().empathy_note(lang)))
    return "\n".join(lines), payload


def _feedback_line(
    analysis: ReplyAnalysis,
    customer_type: str | None,
    texts: dict[str, str],
    style_names: dict[str, str],
) -> str:
    style = analysis.feedback_style
    if customer_type is None:
        if style == "none":
            return texts["feedback_none"]
        return texts["feedback_used"].format(style=style_names[style])
    recommended = style_names[RECOMMENDED_FEEDBACK[customer_type]]
    if style == "none":
        return texts["feedback_none_for_type"].format(recommended=recommended)
    if analysis.feedback_fits:
        return texts["feedback_fits"].format(style=style_names[style])
    return texts["feedback_other"].format(style=style_names[style], recommended=recommended)
