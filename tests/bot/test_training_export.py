"""The relabel export: whatever a trainee typed, PyYAML and Rasa's own reader read it back as
plain lines under the right intent (run in both environments; Rasa's reader where installed)."""

import pytest
import yaml

from bot.training_export import clean_line, has_markup, nlu_yaml

HOSTILE = {
    "今天必须\x01修好": "power",  # a control character PyYAML refuses
    "我要[今天](customer_type)就修好": "power",  # Rasa entity markup
    'call me [power]{"entity": "customer_type", "value": "x"} now': "thinking",
    "line one\u2028line two\r\nthree": "social",  # YAML line breaks inside one line
    "zero\u200bwidth and a bom\ufeff": "harmonious",
    "- looks like a list item: yes # and a comment": "thinking",
    "\x7f\x1b\x00": "social",  # nothing but control characters: no line left
}


def examples_of(text: str) -> dict[str, list[str]]:
    data = yaml.safe_load(text)
    return {
        block["intent"]: [line[2:] for line in block["examples"].splitlines()]
        for block in data["nlu"]
    }


def test_pyyaml_reads_every_line_back_plain() -> None:
    found = examples_of(nlu_yaml(HOSTILE))
    assert found["customer_power"] == ["今天必须修好", "我要［今天］(customer_type)就修好"]
    assert found["customer_social"] == ["line one line two three"]
    assert found["customer_harmonious"] == ["zerowidth and a bom"]
    assert (
        'call me ［power］{"entity": "customer_type", "value": "x"} now'
        in found["customer_thinking"]
    )
    assert not any(has_markup(line) for lines in found.values() for line in lines)


def test_rasas_reader_sees_no_entities_and_the_same_texts() -> None:
    reader = pytest.importorskip("rasa.shared.nlu.training_data.formats.rasa_yaml")
    data = reader.RasaYAMLReader().reads(nlu_yaml(HOSTILE))
    by_text = {message.get("text"): message for message in data.training_examples}
    assert set(by_text) == {clean_line(text) for text in HOSTILE if clean_line(text)}
    assert all(not message.get("entities") for message in by_text.values())
    assert by_text["我要［今天］(customer_type)就修好"].get("intent") == "customer_power"


def test_an_empty_export_is_still_a_valid_file() -> None:
    assert yaml.safe_load(nlu_yaml({})) == {"version": "3.1", "nlu": []}
