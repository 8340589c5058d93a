"""Which of the product's two languages a piece of text is written in.

Users switch freely between Chinese and English; the reply language follows what they
last wrote. Text with no letters at all (emoji, digits) says nothing about the language,
so the caller keeps whatever it had.
"""

import re
from typing import Literal

Lang = Literal["zh", "en"]
SUPPORTED_LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# Letters of scripts the product does not support: kana, hangul, Cyrillic, Greek, Arabic,
# Hebrew, Devanagari, Thai.
_OTHER_SCRIPT = re.compile(
    r"[\u3040-\u30ff\uac00-\ud7af\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff"
    r"\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f]"
)


def detect_language(text: str) -> Lang | None:
    """Return "zh" or "en", or None when the text carries no usable language signal.

    Chinese wins when there are at least as many Han characters as Latin words, so a
    Chinese sentence that names a product ("我的 iPhone 坏了") still counts as Chinese.
    None for text without letters (emoji, digits) and for text mostly in another script
    (Japanese kana, Korean, Russian, ...).
    """
    han = len(_HAN.findall(text))
    latin_words = len(_LATIN_WORD.findall(text))
    other = len(_OTHER_SCRIPT.findall(text))
    if han == 0 and latin_words == 0:
        return None
    if other >= han + latin_words:
        return None
    return "zh" if han >= latin_words else "en"


def normalize_lang(value: str | None) -> Lang:
    """Map a requested language (slot value, query parameter) to a supported one."""
    if value and value.lower().startswith("en"):
        return "en"
    return DEFAULT_LANG
