"""The JSON payloads the bot attaches to its messages, one typed shape per kind.

Every rich client reads these: the web panel, Slack's blocks, the app's conversation index
and the coach's transcript. The `kind` field tells them apart.
"""

from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypedDict, cast

from bot.coaching_codes import CustomerType, ReadingType, Severity, UsedFeedback
from bot.language import Lang


class AxesPayload(TypedDict):
    directness: float
    orientation: float


class EvidencePayload(TypedDict):
    text: str
    type: str
    start: int
    end: int
    turn: int


class AvoidAdvice(TypedDict):
    code: str
    text: str


class FeedbackAdvice(TypedDict):
    style: str
    how: str
    examples: list[str]


class CoachingCardPayload(TypedDict):
    kind: Literal["coaching_card"]
    lang: Lang
    customer_type: ReadingType
    confidence: float
    scores: dict[str, float]
    axes: AxesPayload
    evidence: list[EvidencePayload]
    lines_read: int
    source: Literal["model", "axis_answers"]
    # Only when no type is named: why, and the axis question that would settle it.
    reason: NotRequired[Literal["no_style_yet", "types_close"] | None]
    ask: NotRequired[Literal["directness", "orientation"] | None]
    # Only when a type is named:
    phrasings: NotRequired[list[str]]
    avoid: NotRequired[list[AvoidAdvice]]
    feedback: NotRequired[FeedbackAdvice]


class TypeTipsPayload(TypedDict):
    kind: Literal["type_tips"]
    lang: Lang
    customer_type: CustomerType
    type: str
    recognise: list[str]
    why: str
    phrasings: list[dict[str, str]]
    avoid: list[dict[str, str]]
    feedback: FeedbackAdvice
    questions: list[str]
    objections: list[str]


class FlagPayload(TypedDict):
    code: str
    severity: Severity
    start: int
    end: int
    text: str
    explanation: str
    better: str | None
    confidence: float  # the model's probability for this judgement


class ReasonPayload(TypedDict):
    code: str
    points: int


class AnalysisPayload(TypedDict):
    """One reply's analysis; `reply` is the exact text the spans point into."""

    reply: str
    flags: list[FlagPayload]
    feedback_style: UsedFeedback
    feedback_confidence: float
    feedback_fits: bool | None
    steps: list[str]  # complaint-handling steps the reply shows
    empathy: Literal["given", "missing", "not_needed"] | None
    score: int
    reasons: list[ReasonPayload]
    lang: Lang | None  # None: no words in a language the coach reads


class ReplyReviewPayload(AnalysisPayload):
    kind: Literal["reply_review"]
    customer_type: CustomerType | None


class PracticeStartPayload(TypedDict):
    kind: Literal["practice_start"]
    scenario: str
    difficulty: str
    lang: Lang
    exam: bool
    customer_type: CustomerType | None  # None while the type is hidden
    turn_limit: int


class ReadingPayload(TypedDict):
    customer_type: ReadingType
    confidence: float
    scores: dict[str, float]
    axes: AxesPayload


class NeedPayload(TypedDict):
    code: str
    name: str
    key: bool
    met: bool
    said: str | None


class PracticeTurnPayload(TypedDict):
    kind: Literal["practice_turn"]
    turn: int
    customer_line: str
    mood: int
    status: str
    exam: bool
    type_known: bool  # shown from the start, or guessed
    analysis: NotRequired[AnalysisPayload]  # not in exam mode, not before the first reply
    reading: NotRequired[ReadingPayload]  # only once the type is known (never while hidden)
    cues: NotRequired[list[str]]  # style cue words in the customer's line, without their type
    phrasings: NotRequired[list[str]]  # for this case; for this customer once the type is known
    needs: NotRequired[list[NeedPayload]]  # once the type is known, never in exam mode


class PracticeGuessPayload(TypedDict):
    kind: Literal["practice_guess"]
    turn: int
    result: Literal["right", "wrong", "recorded"]


class PracticeExamPayload(TypedDict):
    kind: Literal["practice_exam"]
    exam: bool


class StartOverPayload(TypedDict):
    """The trainee starts over with a new customer: the panel forgets the old one."""

    kind: Literal["start_over"]


class ScorecardPayload(TypedDict):
    kind: Literal["practice_scorecard"]
    scenario: str
    customer_type: CustomerType
    difficulty: str
    lang: Lang
    seed: int
    exam: bool
    replay: bool  # the trainee chose the seed or retook the case
    outcome: str
    turns: int
    final_mood: int
    score: int
    components: dict[str, float]
    needs: list[dict[str, Any]]  # each need: name, met, the trainee's words, advice if missed
    remedy: dict[str, Any]
    type_identified: dict[str, Any]
    phrase_hygiene: dict[str, Any]
    style_fit: dict[str, int]
    feedback_fit: dict[str, Any]
    complaint_steps: dict[str, Any]
    commitments: dict[str, int]
    reading: dict[str, Any] | None
    improvements: list[dict[str, Any]]


Payload = (
    CoachingCardPayload
    | TypeTipsPayload
    | ReplyReviewPayload
    | PracticeStartPayload
    | PracticeTurnPayload
    | PracticeGuessPayload
    | PracticeExamPayload
    | ScorecardPayload
    | StartOverPayload
)
KINDS = frozenset(
    {
        "coaching_card",
        "type_tips",
        "reply_review",
        "practice_start",
        "practice_turn",
        "practice_guess",
        "practice_exam",
        "practice_scorecard",
        "start_over",
    }
)


def payload_of(custom: object) -> Payload | None:
    """A message's custom data as its typed payload, or None if it is not one of ours."""
    if isinstance(custom, Mapping) and custom.get("kind") in KINDS:
        return cast(Payload, custom)
    return None
