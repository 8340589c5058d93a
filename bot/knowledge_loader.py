"""Load coach-editable YAML from `bot/knowledge/` and check it against a small schema.

Coaches edit these files by hand. A mistake must stop the bot with a message that names
the file, the line and the problem, instead of surfacing later as a wrong answer.
"""

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parent / "knowledge"


class KnowledgeError(ValueError):
    """A knowledge file is missing, not valid YAML, or does not match its schema."""


@dataclass(frozen=True)
class Text:
    """A non-empty string."""

    max_length: int = 2000


@dataclass(frozen=True)
class Number:
    """An int or float within [minimum, maximum]."""

    minimum: float
    maximum: float


@dataclass(frozen=True)
class OneOf:
    """A string from a fixed set."""

    choices: tuple[str, ...]


@dataclass(frozen=True)
class ListOf:
    """A list whose items all match `item`."""

    item: "Schema"
    min_items: int = 1


@dataclass(frozen=True)
class Mapping:
    """A mapping with required keys (and optional ones); unknown keys are refused."""

    required: dict[str, "Schema"]
    optional: dict[str, "Schema"] = field(default_factory=dict)


@dataclass(frozen=True)
class MapOf:
    """A mapping whose keys come from `keys` (all of them required) and share one schema."""

    keys: tuple[str, ...]
    value: "Schema"


@dataclass(frozen=True)
class Table:
    """A mapping from names the code uses (lower-case identifiers) to values of one schema."""

    value: "Schema"


@dataclass(frozen=True)
class Bilingual:
    """The same text in Chinese and English, with the same {placeholders} in both."""

    max_length: int = 2000


Schema = Text | Number | OneOf | ListOf | Mapping | MapOf | Table | Bilingual

BILINGUAL = Bilingual()
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


def load_knowledge(relative_path: str, schema: Schema, base_dir: Path = KNOWLEDGE_DIR) -> Any:
    """Read `<base_dir>/<relative_path>`, validate it and return the plain data."""
    path = base_dir / relative_path
    shown = shown_path(relative_path, base_dir)
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError(f"{shown}: cannot read the file ({exc.strerror})") from exc
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeError(f"{shown}{where}: not valid YAML ({problem})") from exc
    if node is None:
        raise KnowledgeError(f"{shown}: the file is empty")
    _check(node, schema, shown, "top level")
    return yaml.safe_load(source)


def shown_path(relative_path: str, base_dir: Path = KNOWLEDGE_DIR) -> str:
    """How error messages name a knowledge file: relative to the repository when shipped."""
    if base_dir == KNOWLEDGE_DIR:
        return f"bot/knowledge/{relative_path}"
    return str(base_dir / relative_path)


def _fail(node: yaml.Node, shown: str, where: str, problem: str) -> KnowledgeError:
    return KnowledgeError(f"{shown}, line {node.start_mark.line + 1} ({where}): {problem}")


def _check(node: yaml.Node, schema: Schema, shown: str, where: str) -> None:
    if isinstance(schema, Text):
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            raise _fail(node, shown, where, "expected text")
        value = str(node.value).strip()
        if not value:
            raise _fail(node, shown, where, "text must not be empty")
        if len(value) > schema.max_length:
            raise _fail(node, shown, where, f"text longer than {schema.max_length} characters")
    elif isinstance(schema, Number):
        number = _as_number(node)
        if number is None:
            raise _fail(node, shown, where, "expected a number")
        if not schema.minimum <= number <= schema.maximum:
            raise _fail(
                node, shown, where, f"{number} is outside [{schema.minimum}, {schema.maximum}]"
            )
    elif isinstance(schema, OneOf):
        if not isinstance(node, yaml.ScalarNode) or node.value not in schema.choices:
            raise _fail(node, shown, where, f"expected one of: {', '.join(schema.choices)}")
    elif isinstance(schema, Bilingual):
        _check_bilingual(node, schema, shown, where)
    elif isinstance(schema, Table):
        if not isinstance(node, yaml.MappingNode):
            raise _fail(node, shown, where, "expected a mapping of names to values")
        for key, value_node in node.value:
            if not _IDENTIFIER.match(str(key.value)):
                raise _fail(key, shown, where, f"'{key.value}' is not a lower-case name")
            _check(value_node, schema.value, shown, str(key.value))
    elif isinstance(schema, ListOf):
        if not isinstance(node, yaml.SequenceNode):
            raise _fail(node, shown, where, "expected a list")
        if len(node.value) < schema.min_items:
            raise _fail(node, shown, where, f"needs at least {schema.min_items} item(s)")
        for index, item in enumerate(node.value):
            _check(item, schema.item, shown, f"{where} item {index + 1}")
    else:
        _check_mapping(node, schema, shown, where)


def _check_bilingual(node: yaml.Node, schema: Bilingual, shown: str, where: str) -> None:
    _check_mapping(node, MapOf(("zh", "en"), Text(schema.max_length)), shown, where)
    assert isinstance(node, yaml.MappingNode)
    texts = {str(key.value): str(value.value) for key, value in node.value}
    try:
        fields = {lang: _placeholders(text) for lang, text in texts.items()}
    except ValueError as exc:
        raise _fail(node, shown, where, f"broken placeholder ({exc})") from exc
    if fields["zh"] != fields["en"]:
        raise _fail(
            node,
            shown,
            where,
            f"zh and en differ in placeholders: {sorted(fields['zh'])} vs {sorted(fields['en'])}",
        )


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _check_mapping(node: yaml.Node, schema: Mapping | MapOf, shown: str, where: str) -> None:
    if not isinstance(node, yaml.MappingNode):
        raise _fail(node, shown, where, "expected a mapping of keys to values")
    children = {str(key.value): value for key, value in node.value}
    if isinstance(schema, MapOf):
        expected = {key: schema.value for key in schema.keys}
        optional: dict[str, Schema] = {}
    else:
        expected, optional = schema.required, schema.optional
    for key, value_node in children.items():
        child_schema = expected.get(key) or optional.get(key)
        if child_schema is None:
            allowed = ", ".join([*expected, *optional])
            raise _fail(value_node, shown, where, f"unknown key '{key}' (allowed: {allowed})")
        _check(value_node, child_schema, shown, key if where == "top level" else f"{where}.{key}")
    missing = [key for key in expected if key not in children]
    if missing:
        raise _fail(node, shown, where, f"missing key(s): {', '.join(missing)}")


def _as_number(node: yaml.Node) -> float | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag not in (
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
    ):
        return None
    try:
        return float(node.value)
    except ValueError:
        return None
