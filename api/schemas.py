"""Request and response bodies of the public API."""

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.coaching_codes import CustomerType, FeedbackStyle, ReadingType, Severity, UsedFeedback
from bot.language import Lang
from bot.limits import MAX_MESSAGE_CHARS, MAX_TURNS
from bot.scenarios import Difficulty

CONVERSATION_ID_PATTERN = r"^[A-Za-z0-9_.:@-]{1,128}$"
MESSAGE_ID_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"


# "Not blank" spelled out character by character: `\s` means a different set in Python, in
# pydantic's Rust regex and in the ECMA regex the OpenAPI schema promises, so the schema, the
# validator and a generated request must agree on which text has a visible character.
NOT_BLANK = (
    r"[^\t\n\x0b\x0c\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f"
    r"\u3000\ufeff]"
)


def not_blank(value: str) -> str:
    if re.search(NOT_BLANK, value) is None:
        raise ValueError("must not be empty or only whitespace")
    return value


class ChatRequest(BaseModel):
    conversation_id: str = Field(
        pattern=CONVERSATION_ID_PATTERN,
        description="Your id for the conversation: 1-128 letters, digits or _ . : @ -",
        examples=["trainee-42"],
    )
    message: str = Field(
        min_length=1,
        max_length=MAX_MESSAGE_CHARS,
        pattern=NOT_BLANK,
        description=f"What the trainee typed: not blank, at most {MAX_MESSAGE_CHARS} characters.",
        examples=["你好"],
    )

    message_id: str | None = Field(
        default=None,
        pattern=MESSAGE_ID_PATTERN,
        description="Your id for this message (8-64 letters, digits, _ or -). Send a retry "
        "with the same id: it is answered with the first attempt's answer, never processed "
        "twice. Without one, every request is a new message.",
        examples=["7f3c9a2e-5b1d-4c8e-9a63-0d2f4e1b7c55"],
    )

    _message_not_blank = field_validator("message")(not_blank)


class BotMessage(BaseModel):
    """One bot message as Rasa's REST channel sends it."""

    text: str | None = None
    buttons: list[dict[str, Any]] | None = None
    image: str | None = None
    custom: dict[str, Any] | None = None


class ChatResponse(BaseModel):
    conversation_id: str
    message_id: str
    messages: list[BotMessage]
    replayed: bool = Field(
        default=False, description="The answer to an earlier attempt with the same message_id."
    )


class ComponentReport(BaseModel):
    ok: bool
    detail: str


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]
    components: dict[str, ComponentReport]


class ErrorItem(BaseModel):
    field: str
    problem: str


class ErrorBody(BaseModel):
    detail: str
    code: str | None = Field(default=None, description="which failure, for clients that map it")
    errors: list[ErrorItem] = []


# At least one character that is not whitespace (the schema says so, and pydantic checks it).
CustomerLine = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_MESSAGE_CHARS, pattern=NOT_BLANK)
]


class ClassifyRequest(BaseModel):
    """Either `text` (one customer line) or `turns` (the customer's lines, oldest first)."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["text"], "properties": {"text": {"type": "string"}}},
                {"required": ["turns"], "properties": {"turns": {"type": "array"}}},
            ]
        }
    )

    text: CustomerLine | None = Field(
        default=None, description=f"One customer line, at most {MAX_MESSAGE_CHARS} characters."
    )
    turns: list[CustomerLine] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_TURNS,
        description=f"1-{MAX_TURNS} customer lines of one conversation, "
        f"each at most {MAX_MESSAGE_CHARS} characters.",
    )
    lang: Lang | None = Field(
        default=None, description="Language of the text; detected when missing."
    )

    @model_validator(mode="after")
    def one_input(self) -> "ClassifyRequest":
        if (self.text is None) == (self.turns is None):
            raise ValueError("send either 'text' or 'turns', not both and not neither")
        return self

    def lines(self) -> list[str]:
        return [self.text] if self.text is not None else list(self.turns or [])


class AxesOut(BaseModel):
    directness: float = Field(ge=-1, le=1, description="+1 direct, -1 indirect")
    orientation: float = Field(ge=-1, le=1, description="+1 people, -1 facts")


class EvidenceOut(BaseModel):
    text: str
    type: CustomerType
    start: int = Field(description="character offset in the line")
    end: int
    turn: int = Field(description="index of the line (0 for `text`)")


class TrailPoint(BaseModel):
    customer_type: ReadingType
    confidence: float
    axes: AxesOut


class ClassifyResponse(BaseModel):
    customer_type: ReadingType
    confidence: float = Field(ge=0, le=1)
    scores: dict[str, float] = Field(description="probability of each of the four types")
    axes: AxesOut
    evidence: list[EvidenceOut] = Field(
        description="cue words that point to the reported type (all cues when undetermined)"
    )
    lang: Lang
    trail: list[TrailPoint] = Field(description="the reading after each line, oldest first")
    reason: Literal["no_style_yet", "types_close"] | None = Field(
        default=None, description="why the reading is undetermined (null when a type is named)"
    )
    ask: Literal["directness", "orientation"] | None = Field(
        default=None, description="the axis question that would settle an undetermined reading"
    )
    explanation: str | None = Field(
        default=None, description="the reason and the settling question, in words"
    )


CLASSIFY_EXAMPLES: dict[str, dict[str, Any]] = {
    "one line (Chinese)": {"value": {"text": "别跟我绕弯子，工程师今天几点能到？"}},
    "one line (English)": {"value": {"text": "Sorry to bother you, no rush at all", "lang": "en"}},
    "conversation": {
        "value": {"turns": ["设备坏了", "请问报警代码E-204对应哪个模块？", "能否提供维修记录"]}
    },
}


class PhrasingOut(BaseModel):
    setting: str
    text: str


class AvoidOut(BaseModel):
    code: str
    text: str
    why: str


class FeedbackOut(BaseModel):
    style: FeedbackStyle
    how: str
    examples: list[str]


class TypeCard(BaseModel):
    type: CustomerType
    name: str
    summary: str
    directness: float
    orientation: float
    lang: Lang
    recognise: list[str]
    why: str
    phrasings: list[PhrasingOut]
    avoid: list[AvoidOut]
    feedback: FeedbackOut
    questions: list[str]
    objections: list[str]


class ReviewReplyRequest(BaseModel):
    reply: str = Field(
        min_length=1,
        max_length=MAX_MESSAGE_CHARS,
        pattern=NOT_BLANK,
        description=f"The trainee's draft reply, at most {MAX_MESSAGE_CHARS} characters.",
    )
    customer_type: CustomerType | None = Field(
        default=None, description="Check the style against this type as well."
    )
    customer_line: str | None = Field(
        default=None,
        max_length=MAX_MESSAGE_CHARS,
        description="What the customer said just before, so restating it and answering it "
        "can be judged (a time the customer named is not the trainee's commitment).",
    )
    lang: Lang | None = Field(default=None, description="Detected when missing.")

    _reply_not_blank = field_validator("reply")(not_blank)


class FlagOut(BaseModel):
    code: str
    severity: Severity = Field(description="avoid; tip when the model is unsure; good")
    start: int = Field(description="character offset in the reply")
    end: int
    text: str
    explanation: str
    better: str | None = Field(default=None, description="a better phrasing, for avoid and tip")
    confidence: float = Field(ge=0, le=1, description="the model's probability for this flag")


class ReasonOut(BaseModel):
    code: str
    points: int


class ReviewReplyResponse(BaseModel):
    flags: list[FlagOut]
    feedback_style: UsedFeedback
    feedback_confidence: float = Field(ge=0, le=1)
    feedback_fits: bool | None = Field(description="null when no customer type was given")
    steps: list[str] = Field(description="complaint-handling steps the reply shows")
    empathy: Literal["given", "missing", "not_needed"] | None = Field(
        description="was empathy called for (the customer line shows feelings) and given; "
        "null without a customer line"
    )
    score: int = Field(ge=0, le=100)
    reasons: list[ReasonOut] = Field(description="what was recognised, with its points")
    lang: Lang | None = Field(description="null when the reply has no Chinese or English words")
    note: str | None = Field(default=None, description="why nothing was analysed, if so")


REVIEW_EXAMPLES: dict[str, dict[str, Any]] = {
    "phrases to avoid (Chinese)": {"value": {"reply": "请您别着急，我们马上处理，这是公司的规定"}},
    "a good reply for a power customer": {
        "value": {
            "reply": "To sum up: on site by 10 am, and I'll follow it up.",
            "customer_type": "power",
        }
    },
}


class TypeGuess(BaseModel):
    hidden: bool | None = None  # False: the type was shown from the start
    guess: str | None
    correct: bool | None
    turn: int | None


class FitCount(BaseModel):
    fits: int
    of: int


class Improvement(BaseModel):
    turn: int
    code: str
    said: str
    better: str
    why: str
    gain: float


class Scorecard(BaseModel):
    """The closing scorecard of a role-play session (bot/scorecard.py)."""

    scenario: str
    customer_type: CustomerType
    difficulty: Difficulty
    lang: Lang
    seed: int
    exam: bool
    replay: bool = Field(
        default=False, description="a chosen seed or a retake: the type may already be known"
    )
    outcome: Literal["resolved", "customer_left", "turn_limit", "gave_up"]
    turns: int
    final_mood: int = Field(description="Mood: 0 calm ... 4 left")
    score: int = Field(ge=0, le=100)
    components: dict[str, float]
    needs: list[dict[str, Any]] = Field(
        description="what this customer type needed: met (with the trainee's words) or missed"
    )
    remedy: dict[str, Any] = Field(description="the case's own fix: offered or not")
    type_identified: TypeGuess
    phrase_hygiene: dict[str, Any]
    style_fit: FitCount
    feedback_fit: dict[str, Any]
    complaint_steps: dict[str, Any]
    commitments: dict[str, int]
    reading: dict[str, Any] | None
    improvements: list[Improvement]


class HistoryItem(BaseModel):
    """One message of a conversation as stored in Rasa's tracker."""

    role: Literal["trainee", "bot"]
    text: str | None = None
    custom: dict[str, Any] | None = None
    buttons: list[dict[str, Any]] | None = None
    payload: bool = False  # a button or form payload ("/start_practice{…}"), not typed words


class ConversationHistory(BaseModel):
    conversation_id: str
    messages: list[HistoryItem]
