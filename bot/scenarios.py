"""The role-play library: service cases (scenarios) and how each customer type speaks (voices).

A customer's line is a voice line for the stage, with the scenario's facts filled in. Coaches
edit `bot/knowledge/scenarios/*.yml` (cases) and `bot/knowledge/scenarios/voices/*.yml`
(types); loading checks that every scenario x type x language x stage yields lines with every
placeholder filled, so a broken file stops the bot instead of a practice session.
"""

import random
import re
import string
from collections.abc import Mapping as ReadOnlyMap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from bot.coaching_codes import SETTINGS, TYPE_CODES
from bot.knowledge_loader import (
    BILINGUAL,
    KNOWLEDGE_DIR,
    KnowledgeError,
    ListOf,
    MapOf,
    Mapping,
    OneOf,
    Text,
    load_knowledge,
    shown_path,
)
from bot.language import SUPPORTED_LANGS, Lang

Difficulty = Literal["easy", "normal", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "normal", "hard")

STAGES = (
    "opening",
    "good_settling",  # handled well, still upset
    "good_calm",  # handled well, calm again
    "poor_escalating",  # handled badly, angrier
    "poor_last_warning",  # handled badly, about to leave
    "asked_question",  # the trainee asked what happened
    "solution_doubt",  # a concrete solution, but the customer is not calm yet
    "neutral",  # nothing good or bad: the customer presses on
    "closing_satisfied",
    "closing_dissatisfied",
)
SUBTLE_STAGES = (
    "opening", "good_settling", "poor_escalating", "asked_question", "solution_doubt", "neutral",
)  # fmt: skip
BACKUP_STAGES = ("poor_last_warning", "neutral", "closing_dissatisfied")
FACTS = ("item", "problem", "stake", "detail", "wish", "people")
MIN_VARIANTS = 2

LINES = ListOf(Text(max_length=300), min_items=MIN_VARIANTS)
VOICE_SCHEMA = Mapping(
    required={
        "backup_style": BILINGUAL,
        "clear": MapOf(SUPPORTED_LANGS, MapOf(STAGES, LINES)),
        "subtle": MapOf(SUPPORTED_LANGS, MapOf(SUBTLE_STAGES, LINES)),
        "backup": MapOf(SUPPORTED_LANGS, MapOf(BACKUP_STAGES, LINES)),
        "tells": MapOf(SUPPORTED_LANGS, ListOf(Text(max_length=80), min_items=MIN_VARIANTS)),
    }
)
SCENARIO_SCHEMA = Mapping(
    required={
        "setting": OneOf(SETTINGS),
        "aliases": MapOf(SUPPORTED_LANGS, ListOf(Text(max_length=30))),
        "title": BILINGUAL,
        "brief": BILINGUAL,
        "facts": MapOf(SUPPORTED_LANGS, MapOf(FACTS, Text(max_length=200))),
    }
)
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


@dataclass(frozen=True)
class Scenario:
    code: str
    setting: str
    aliases: ReadOnlyMap[str, tuple[str, ...]]
    title: ReadOnlyMap[str, str]
    brief: ReadOnlyMap[str, str]
    facts: ReadOnlyMap[str, ReadOnlyMap[str, str]]


@dataclass(frozen=True)
class Voice:
    customer_type: str
    backup_style: ReadOnlyMap[str, str]
    clear: dict[str, dict[str, list[str]]]
    subtle: dict[str, dict[str, list[str]]]
    backup: dict[str, dict[str, list[str]]]
    tells: dict[str, list[str]]


@dataclass(frozen=True)
class ScenarioLibrary:
    scenarios: ReadOnlyMap[str, Scenario]
    voices: ReadOnlyMap[str, Voice]

    def variants(
        self,
        scenario: str,
        customer_type: str,
        lang: Lang,
        stage: str,
        register: Literal["clear", "subtle", "backup"] = "clear",
    ) -> list[str]:
        """Every line the customer may say at this stage, facts filled in."""
        voice = self.voices[customer_type]
        pool = getattr(voice, register)[lang].get(stage) or voice.clear[lang][stage]
        facts = self.scenarios[scenario].facts[lang]
        return [_fill(template, facts, lang) for template in pool]

    def line(
        self,
        rng: random.Random,
        scenario: str,
        customer_type: str,
        lang: Lang,
        stage: str,
        register: Literal["clear", "subtle", "backup"] = "clear",
        tell: bool = False,
    ) -> str:
        """One line, chosen by `rng`; with `tell`, a short extra line that shows the style."""
        text = rng.choice(self.variants(scenario, customer_type, lang, stage, register))
        if tell:
            extra = rng.choice(self.voices[customer_type].tells[lang])
            text = f"{text}{'' if lang == 'zh' else ' '}{extra}"
        return text


def _fill(template: str, facts: ReadOnlyMap[str, str], lang: Lang) -> str:
    text = template.format_map(facts)
    if lang == "en":
        text = _SENTENCE_START.sub(lambda match: match.group(1) + match.group(2).upper(), text)
    return text


def read_library(base_dir: Path = KNOWLEDGE_DIR) -> ScenarioLibrary:
    """Load every voice and scenario and check that they combine; KnowledgeError if not."""
    voices: dict[str, Voice] = {code: _read_voice(code, base_dir) for code in TYPE_CODES}
    folder = base_dir / "scenarios"
    scenarios = {
        path.stem: _read_scenario(path.stem, base_dir) for path in sorted(folder.glob("*.yml"))
    }
    if not scenarios:
        raise KnowledgeError(f"{shown_path('scenarios/', base_dir)}: no scenario files")
    return ScenarioLibrary(MappingProxyType(scenarios), MappingProxyType(voices))


def _read_voice(code: str, base_dir: Path) -> Voice:
    relative = f"scenarios/voices/{code}.yml"
    raw: dict[str, Any] = load_knowledge(relative, VOICE_SCHEMA, base_dir)
    shown = shown_path(relative, base_dir)
    for register in ("clear", "subtle", "backup"):
        for lang, stages in raw[register].items():
            for stage, lines in stages.items():
                for line in lines:
                    _check_template(line, f"{shown} ({register}.{lang}.{stage})")
    return Voice(
        code,
        MappingProxyType(raw["backup_style"]),
        raw["clear"],
        raw["subtle"],
        raw["backup"],
        raw["tells"],
    )


def _check_template(line: str, where: str) -> None:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(line) if name is not None]
    except ValueError as exc:
        raise KnowledgeError(f"{where}: broken placeholder in {line!r} ({exc})") from exc
    unknown = [name for name in fields if name not in FACTS]
    if unknown:
        raise KnowledgeError(
            f"{where}: unknown placeholder {{{unknown[0]}}} in {line!r} "
            f"(allowed: {', '.join('{' + fact + '}' for fact in FACTS)})"
        )


def _read_scenario(code: str, base_dir: Path) -> Scenario:
    raw: dict[str, Any] = load_knowledge(f"scenarios/{code}.yml", SCENARIO_SCHEMA, base_dir)
    return Scenario(
        code=code,
        setting=raw["setting"],
        aliases=MappingProxyType({lang: tuple(raw["aliases"][lang]) for lang in SUPPORTED_LANGS}),
        title=MappingProxyType(raw["title"]),
        brief=MappingProxyType(raw["brief"]),
        facts=MappingProxyType(
            {lang: MappingProxyType(raw["facts"][lang]) for lang in SUPPORTED_LANGS}
        ),
    )


@lru_cache(maxsize=1)
def load_library() -> ScenarioLibrary:
    """The shipped library, loaded once per process."""
    return read_library()
