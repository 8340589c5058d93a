"""A change a person asked for that can't be done, said in their language.

`code` names the sentence in the catalogue (bot/knowledge/ui.yml, section `section`), so a
page re-renders its form with the reason in the page's language; `str()` is the English one,
for the command line and logs.
"""

from bot.language import Lang
from bot.ui_texts import ui_text


class FormError(ValueError):
    section = "forms"

    def __init__(self, code: str, **values: object) -> None:
        self.code = code
        self.values = values
        super().__init__(self.text("en"))

    def text(self, lang: Lang) -> str:
        return ui_text(self.section, self.code, lang, **self.values)


class ReviewError(FormError):
    """A comment, tag or relabel on the review desk that can't be saved."""

    section = "review"
