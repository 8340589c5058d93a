"""What a `/coach …` command asks for, and the message that asks Rasa for it.

Only the form is decided here (help, a type's card, a draft check, or a customer line);
the coaching itself is Rasa's answer.
"""

import json
import re
from dataclasses import dataclass
from typing import Literal

from bot.customer_types import load_customer_types
from bot.language import DEFAULT_LANG, Lang, detect_language
from bot.limits import MAX_MESSAGE_CHARS

HELP_WORDS = {"", "help", "帮助", "?", "？"}
_CHECK = re.compile(r"^\s*(?:check\b|检查)\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_TYPE_THEN_DRAFT = re.compile(r"^(?P<type>[^:：]{0,20})[:：]\s*(?P<draft>.*)$", re.DOTALL)

Kind = Literal["help", "type_tips", "check", "read", "too_long", "empty_draft"]


@dataclass(frozen=True)
class CoachCommand:
    kind: Kind
    lang: Lang
    text: str = ""
    customer_type: str | None = None


def parse_command(raw: str) -> CoachCommand:
    """`raw` is the command's text as Slack sends it (with &amp; &lt; &gt; escaped)."""
    text = unescape_slack(raw).strip()
    lang = detect_language(text) or DEFAULT_LANG
    if text.lower() in HELP_WORDS:
        return CoachCommand("help", lang if text else "en")
    if len(text) > MAX_MESSAGE_CHARS:
        return CoachCommand("too_long", lang)
    named = type_named_exactly(text)
    if named:
        return CoachCommand("type_tips", lang, customer_type=named)
    check = _CHECK.match(text)
    if check:
        return _check_command(check.group("rest"), lang)
    return CoachCommand("read", lang, text=text)


def unescape_slack(text: str) -> str:
    """Slack escapes exactly these three characters in the text it sends."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def type_named_exactly(text: str) -> str | None:
    """The type a short text names ("Power customer", "权力型客户" → "power"), else None."""
    words = (
        text.lower().removesuffix("客户").removesuffix(" customer").removesuffix(" type").strip()
    )
    for code, profile in load_customer_types().items():
        if words in (code, profile.name["zh"], profile.name["en"].lower()):
            return code
    return None


def rasa_message(command: CoachCommand) -> str:
    """The message sent to Rasa: a payload for the structured commands, the words otherwise."""
    if command.kind == "type_tips":
        return _payload("ask_type_tips", customer_type=command.customer_type, language=command.lang)
    if command.kind == "check":
        return draft_check_payload(command.text, command.customer_type, command.lang)
    return command.text


def draft_check_payload(draft: str, customer_type: str | None, lang: Lang) -> str:
    return _payload("submit_reply", draft=draft, customer_type=customer_type, language=lang)


def _check_command(rest: str, lang: Lang) -> CoachCommand:
    """ "thinking: draft", ": draft", "my reply: draft" (no type), or "thinking draft"."""
    split = _TYPE_THEN_DRAFT.match(rest.strip())
    if split:
        customer_type, draft = type_named_exactly(split.group("type")), split.group("draft")
    else:
        first, _, remainder = rest.strip().partition(" ")
        customer_type = type_named_exactly(first)
        draft = remainder if customer_type else rest
    draft = draft.strip()
    if not draft:
        return CoachCommand("empty_draft", lang)
    return CoachCommand("check", detect_language(draft) or lang, draft, customer_type)


def _payload(intent: str, **entities: str | None) -> str:
    given = {name: value for name, value in entities.items() if value is not None}
    return f"/{intent}{json.dumps(given, ensure_ascii=False)}" if given else f"/{intent}"
