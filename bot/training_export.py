"""Relabelled customer lines as Rasa NLU training data that Rasa reads back as written.

A line comes from whatever a trainee typed, so before it goes into YAML it loses what would
change its meaning there: control and format characters (PyYAML refuses U+0001; U+2028 ends a
YAML line) and Rasa's entity markup (`[今天](customer_type)`, `[x]{"entity": …}`), which Rasa
would read as entity labels. Brackets of markup become full-width brackets: the words stay,
the markup goes.
"""

import re
import unicodedata
from collections.abc import Mapping

from bot.coaching_codes import TYPE_CODES

# Rasa's entity markup: [text](entity), [text](entity:value), [text]{...}, [text][{...}]
_MARKUP = re.compile(r"\[([^\]\n]*)\](?=\(|\{|\[)")
_LINE_BREAKS = {"\u2028", "\u2029", "\u0085"}
_DROP = {"Cc", "Cf", "Cs", "Co", "Cn"}  # control, format, surrogate, private, unassigned


def clean_line(text: str) -> str:
    """The line as one plain line of text: no control or format characters, no markup."""
    kept = "".join(
        " " if char in _LINE_BREAKS or char in "\t\r\n" else char
        for char in text
        if char in _LINE_BREAKS or char in "\t\r\n" or unicodedata.category(char) not in _DROP
    )
    unmarked = _MARKUP.sub(lambda found: f"［{found.group(1)}］", kept)
    return " ".join(unmarked.split())


def has_markup(text: str) -> bool:
    return _MARKUP.search(text) is not None


def nlu_yaml(labels: Mapping[str, str]) -> str:
    """`{line: customer type}` as a Rasa 3.x NLU file, one `customer_*` intent per type."""
    lines = ['version: "3.1"', "", "nlu:"]
    for customer_type in TYPE_CODES:
        texts = [clean_line(text) for text, label in labels.items() if label == customer_type]
        texts = [text for text in dict.fromkeys(texts) if text]
        if texts:
            lines += [f"  - intent: customer_{customer_type}", "    examples: |"]
            lines += [f"      - {text}" for text in texts]
    if len(lines) == 3:
        lines[-1] = "nlu: []"
    return "\n".join(lines) + "\n"
