"""Request and response bodies of the public API."""

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

CONVERSATION_ID_PATTERN = r"^[A-Za-z0-9_.:@-]{1,128}$"
MAX_MESSAGE_CHARS = 2000


class ChatRequest(BaseModel):
    conversation_id: str = Field(
        pattern=CONVERSATION_ID_PATTERN,
        description="Your id for the conversation: 1-128 letters, digits or _ . : @ -",
        examples=["trainee-42"],
    )
    message: str = Field(
        min_length=1,
        max_length=MAX_MESSAGE_CHARS,
        description=f"What the trainee typed: not blank, at most {MAX_MESSAGE_CHARS} characters.",
        examples=["你好"],
    )

    @field_validator("message")
    @classmethod
    def message_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty or only whitespace")
        return value


class BotMessage(BaseModel):
    """One bot message as Rasa's REST channel sends it."""

    text: str | None = None
    buttons: list[dict[str, Any]] | None = None
    image: str | None = None
    custom: dict[str, Any] | None = None


class ChatResponse(BaseModel):
    conversation_id: str
    messages: list[BotMessage]


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
    errors: list[ErrorItem] = []
