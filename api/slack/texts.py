"""Words of the Slack surface itself (buttons, modal, errors, help), from the catalogue.

The coaching content comes from the bot; these only frame it in Slack.
"""

from bot.language import Lang
from bot.ui_texts import ui_text


def text(key: str, lang: Lang, **values: object) -> str:
    return ui_text("slack", key, lang, **values)
