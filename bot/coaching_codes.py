"""The codes fixed by the coaching-model contract (shared/design/coaching-model.md)."""

from typing import Literal

CustomerType = Literal["power", "social", "harmonious", "thinking"]
TYPE_CODES: tuple[CustomerType, ...] = ("power", "social", "harmonious", "thinking")


def as_customer_type(value: object) -> CustomerType | None:
    """`value` if it is one of the four type codes (a button's entity, a slot), else None."""
    return value if value in TYPE_CODES else None


# A reading may also say the evidence is too weak to name a type.
ReadingType = Literal["power", "social", "harmonious", "thinking", "undetermined"]
UNDETERMINED: ReadingType = "undetermined"

FeedbackStyle = Literal["fact", "feeling", "summary"]
FEEDBACK_STYLES: tuple[FeedbackStyle, ...] = ("fact", "feeling", "summary")
# The feedback a reply used: one of the three, or none of them.
UsedFeedback = Literal["fact", "feeling", "summary", "none"]

# How a reply flag counts: a phrase to avoid, a softer tip, or a good move.
Severity = Literal["avoid", "tip", "good"]

# Recommended listening feedback per customer type.
RECOMMENDED_FEEDBACK: dict[str, FeedbackStyle] = {
    "power": "summary",
    "social": "feeling",
    "harmonious": "feeling",
    "thinking": "fact",
}

# Phrases to avoid with any customer (severity `avoid`).
GENERAL_AVOID_CODES = (
    "dont_know", "cant_come", "policy_excuse", "blame_others", "rhetorical_pushback",
    "vague_time", "dismiss_emotion", "negative_framing", "redirect_elsewhere", "over_promise",
)  # fmt: skip

# Style mismatches for a customer's type (severity `avoid`).
STYLE_MISMATCH_CODES: dict[str, tuple[str, ...]] = {
    "power": ("wastes_time", "vague_goal"),
    "social": ("cold",),
    "harmonious": ("too_direct",),
    "thinking": ("subjective", "too_casual"),
}

# Good moves (severity `good`).
GOOD_MOVE_CODES = (
    "empathy", "confirm_understanding", "concrete_commitment", "ownership",
    "consultative_question", "evidence", "fact_feedback", "feeling_feedback", "summary_feedback",
)  # fmt: skip

# The six complaint-handling steps, in the order the coaching model teaches them.
COMPLAINT_STEPS = ("calm", "propose", "agree", "implement", "follow_up", "prevent")

ALL_AVOID_CODES = GENERAL_AVOID_CODES + tuple(
    code for codes in STYLE_MISMATCH_CODES.values() for code in codes
)

# Service settings the knowledge files spread their examples over.
SETTINGS = (
    "lab_equipment", "renovation", "ecommerce", "hotel", "telecom", "bank_card", "car_service",
)  # fmt: skip
