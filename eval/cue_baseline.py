"""The reply analyzer as it was before the learned model: the coaches' cue list and the
concrete-time rules, with a fixed precedence. Kept only as the baseline `make eval` reports
next to the model (docs/reply-report.md); the product no longer uses it.
"""

from dataclasses import dataclass

from bot.coaching_codes import (
    GENERAL_AVOID_CODES,
    RECOMMENDED_FEEDBACK,
    STYLE_MISMATCH_CODES,
    UsedFeedback,
)
from bot.language import Lang
from bot.reply_features import cue_matches
from bot.time_expressions import find_times

FEEDBACK_CODES: dict[str, UsedFeedback] = {
    "fact_feedback": "fact",
    "feeling_feedback": "feeling",
    "summary_feedback": "summary",
}
FOLLOW_UP = {
    "zh": ("我查", "帮您查", "我确认", "我核实", "我问一下", "帮您问", "给您答复", "回复您"),
    "en": ("let me check", "i'll check", "i will check", "let me find out", "i'll find out",
           "get back to you", "let me confirm", "i'll confirm", "look it up"),
}  # fmt: skip
LONG_REPLY = {"zh": 150, "en": 90}


@dataclass(frozen=True)
class BaselineJudgement:
    avoid: set[str]
    good: set[str]
    feedback: UsedFeedback
    steps: set[str]


def judge(reply: str, customer_type: str | None, lang: Lang) -> BaselineJudgement:
    """What the cue-list analyzer found: codes at severity avoid, good moves, feedback style."""
    matches = cue_matches(reply, lang)
    times = find_times(reply, lang)
    own_style = STYLE_MISMATCH_CODES.get(customer_type or "", ())
    warm = any(m.label in ("empathy", "feeling_feedback") for m in matches)
    avoid: set[str] = set()
    for match in matches:
        if match.label in GENERAL_AVOID_CODES:
            softened = (match.label == "vague_time" and times) or (
                match.label == "dont_know"
                and (times or any(cue in reply.lower() for cue in FOLLOW_UP[lang]))
            )
            if not softened:
                avoid.add(match.label)
        elif match.label in own_style:
            if (match.label == "vague_goal" and times) or (match.label == "cold" and warm):
                continue
            avoid.add(match.label)
    size = len(reply.strip()) if lang == "zh" else len(reply.split())
    conclusion_first = any(start < len(reply) // 3 for start, _ in times)
    if customer_type == "power" and size > LONG_REPLY[lang] and not conclusion_first:
        avoid.add("wastes_time")
    good = {m.label for m in matches if m.label not in GENERAL_AVOID_CODES} - set(
        code for codes in STYLE_MISMATCH_CODES.values() for code in codes
    )
    if times:
        good.add("concrete_commitment")
    used = [FEEDBACK_CODES[code] for code in good if code in FEEDBACK_CODES]
    recommended = RECOMMENDED_FEEDBACK.get(customer_type or "")
    feedback: UsedFeedback = "none" if not used else recommended if recommended in used else used[0]
    return BaselineJudgement(avoid, good - set(FEEDBACK_CODES), feedback, set())
