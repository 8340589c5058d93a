"""Recognise a trainee's own draft reply and take it out of its lead-in ("我的回复：……",
"my reply: …"). The lead-ins are coach-editable (bot/knowledge/draft_lead_ins.yml); the NLU
pipeline uses `marked_draft` so a marked draft always reaches the reply check, never the
customer reading, and the reply check uses `draft_from_message` to find the draft itself."""

import re
from functools import lru_cache

from bot.knowledge_loader import ListOf, MapOf, Mapping, Text, load_knowledge

PHRASES = MapOf(("zh", "en"), ListOf(Text(max_length=40)))
LEAD_INS_SCHEMA = Mapping(required={"ask": PHRASES, "lead_ins": PHRASES, "after": PHRASES})
_SEPARATOR = r"\s*(?:是|如下|is)?\s*[:：,，\-—–“\"「'‘]+\s*"
# Any short lead-in before the first colon, once the message is known to be a draft.
_ANY_LEAD_IN = re.compile(r"^[^:：]{1,30}[:：]\s*")


@lru_cache(maxsize=1)
def _marked() -> re.Pattern[str]:
    raw = load_knowledge("draft_lead_ins.yml", LEAD_INS_SCHEMA)

    def alternatives(key: str) -> str:
        phrases = [phrase for lang in ("zh", "en") for phrase in raw[key][lang]]
        phrases.sort(key=len, reverse=True)  # longest first, so "我的回复" beats "我回"
        return "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in phrases)

    return re.compile(
        rf"^\s*(?:(?:{alternatives('ask')})\s*[:：,，]?\s*)?(?:{alternatives('lead_ins')})"
        rf"(?:\s*(?:{alternatives('after')}))?{_SEPARATOR}(?P<draft>\S.*)$",
        re.IGNORECASE | re.DOTALL,
    )


def marked_draft(message: str) -> str | None:
    """The draft if the message marks itself as the trainee's reply, else None."""
    found = _marked().match(message)
    if not found:
        return None
    draft = found.group("draft").strip()
    opened = message[: found.start("draft")].rstrip()[-1:]
    closing = {"“": "”", '"': '"', "「": "」", "‘": "’", "'": "'"}.get(opened)
    return draft[:-1].strip() if closing and draft.endswith(closing) else draft


def draft_from_message(message: str) -> str:
    """The draft reply itself, without the lead-in ("my reply:"), stripped."""
    marked = marked_draft(message)
    if marked is not None:
        return marked
    return _ANY_LEAD_IN.sub("", message.strip(), count=1).strip()
