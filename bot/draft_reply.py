"""Take the trainee's draft reply out of a message like "我打算这样回复：……" / "my reply: …"."""

import re

# The text after the first colon is the draft; a message without a colon is all draft.
_LEAD_IN = re.compile(r"^[^:：]{1,30}[:：]\s*")


def draft_from_message(message: str) -> str:
    """The draft reply itself, without the lead-in ("my reply:"), stripped."""
    return _LEAD_IN.sub("", message.strip(), count=1).strip()
