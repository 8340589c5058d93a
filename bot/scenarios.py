"""The role-play library: service cases (scenarios) and how each customer type speaks (voices).

A scenario holds the case's facts, its remedy (what would settle it, with the words that show
a reply offers it), what the customer answers when asked, type-neutral phrasings for the
coach panel, and what to say instead of each phrase to avoid. A voice holds the type's lines
for each *move* — the kinds of thing a customer says (acknowledge an offer, quote a vague
phrase back, answer a question, ask for what they still need…), with placeholders for the
scenario's facts and for the trainee's own words.

Coaches edit `bot/knowledge/scenarios/*.yml` (cases) and `bot/knowledge/scenarios/voices/*.yml`
(types); loading checks that every voice has every move in both languages with known
placeholders, so a broken file stops the bot instead of a practice session.
"""

import random
import re
import string
from collections.abc import Mapping as ReadOnlyMap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from bot.coaching_codes import ALL_AVOID_CODES, FEEDBACK_STYLES, SETTINGS, TYPE_CODES
from bot.customer_needs import need_codes
from bot.knowledge_loader import (
    BILINGUAL,
    KNOWLEDGE_DIR,
    KnowledgeError,
    ListOf,
    MapOf,
    Mapping,
    OneOf,
    Table,
    Text,
    load_knowledge,
    shown_path,
)
from bot.language import SUPPORTED_LANGS, Lang

Difficulty = Literal["easy", "normal", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "normal", "hard")
Register = Literal["clear", "subtle", "backup"]

FACTS = ("item", "problem", "stake", "detail", "wish", "people")
# The trainee's own words a line may quote, besides the scenario's facts.
QUOTES = ("offer", "person", "phrase", "answer", "before", "after", "promise")
# Moves every voice has in its clear register (easy and normal), both languages.
BASE_MOVES = (
    "opening", "ack_offer", "ack_owner", "ack_person", "quote_vague", "answer", "answer_unknown",
    "changed_commitment", "remind_commitment", "slip", "warmer", "pressing", "last_warning",
    "closing_satisfied", "closing_dissatisfied",
)  # fmt: skip
# Reactions to one phrase to avoid; a voice may leave some out (then `slip` answers).
SLIP_MOVES = tuple(f"slip_{code}" for code in ALL_AVOID_CODES)
BACKUP_MOVES = ("last_warning", "pressing", "closing_dissatisfied")
MIN_VARIANTS = 2

LINES = ListOf(Text(max_length=300), min_items=MIN_VARIANTS)
VOICE_SCHEMA = Mapping(
    required={
        "backup_style": BILINGUAL,
        "tells": MapOf(SUPPORTED_LANGS, ListOf(Text(max_length=80), min_items=MIN_VARIANTS)),
        "clear": MapOf(SUPPORTED_LANGS, Table(LINES)),
        "subtle": MapOf(SUPPORTED_LANGS, Table(LINES)),
        "backup": MapOf(SUPPORTED_LANGS, MapOf(BACKUP_MOVES, LINES)),
    }
)
WORDS = MapOf(SUPPORTED_LANGS, ListOf(Text(max_length=40)))
SCENARIO_SCHEMA = Mapping(
    required={
        "setting": OneOf(SETTINGS),
        "aliases": MapOf(SUPPORTED_LANGS, ListOf(Text(max_length=30))),
        "title": BILINGUAL,
        "brief": BILINGUAL,
        "facts": MapOf(SUPPORTED_LANGS, MapOf(FACTS, Text(max_length=200))),
        "remedy": BILINGUAL,
        "remedy_words": WORDS,
        "personal_words": WORDS,
        "answers": ListOf(Mapping(required={"about": WORDS, "answer": BILINGUAL})),
        "feedback_examples": MapOf(FEEDBACK_STYLES, BILINGUAL),
        "better": MapOf(ALL_AVOID_CODES, BILINGUAL),
        "phrasings": MapOf(SUPPORTED_LANGS, ListOf(Text(max_length=200), min_items=3)),
    }
)
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


@dataclass(frozen=True)
class Answer:
    about: ReadOnlyMap[str, tuple[str, ...]]  # words of a question this answers, per language
    answer: ReadOnlyMap[str, str]


@dataclass(frozen=True)
class Scenario:
    code: str
    setting: str
    aliases: ReadOnlyMap[str, tuple[str, ...]]
    title: ReadOnlyMap[str, str]
    brief: ReadOnlyMap[str, str]
    facts: ReadOnlyMap[str, ReadOnlyMap[str, str]]
    remedy: ReadOnlyMap[str, str]
    remedy_words: ReadOnlyMap[str, tuple[str, ...]]
    personal_words: ReadOnlyMap[str, tuple[str, ...]]
    answers: tuple[Answer, ...]
    feedback_examples: ReadOnlyMap[str, ReadOnlyMap[str, str]]  # style -> lang -> line
    better: ReadOnlyMap[str, ReadOnlyMap[str, str]]  # avoid code -> lang -> what to say instead
    phrasings: ReadOnlyMap[str, tuple[str, ...]]


@dataclass(frozen=True)
class Voice:
    customer_type: str
    backup_style: ReadOnlyMap[str, str]
    tells: dict[str, list[str]]
    lines: dict[str, dict[str, dict[str, list[str]]]]  # register -> lang -> move -> lines

    def pool(self, lang: Lang, move: str, register: Register) -> list[str]:
        """The lines for a move: the register's own, else the clear one, else `slip`."""
        for chosen in (register, "clear"):
            found = self.lines[chosen][lang].get(move)
            if found:
                return found
        if move.startswith("slip_"):
            return self.lines["clear"][lang]["slip"]
        raise KnowledgeError(f"voice {self.customer_type}: no lines for {move!r} ({lang})")


@dataclass(frozen=True)
class ScenarioLibrary:
    scenarios: ReadOnlyMap[str, Scenario]
    voices: ReadOnlyMap[str, Voice]

    def variants(
        self,
        scenario: str,
        customer_type: str,
        lang: Lang,
        move: str,
        register: Register = "clear",
        **quotes: str,
    ) -> list[str]:
        """Every line the customer may say for this move, facts and quotes filled in."""
        values = {**self.scenarios[scenario].facts[lang], **dict.fromkeys(QUOTES, ""), **quotes}
        pool = self.voices[customer_type].pool(lang, move, register)
        return [_fill(template, values, lang) for template in pool]

    def line(
        self,
        rng: random.Random,
        scenario: str,
        customer_type: str,
        lang: Lang,
        move: str,
        register: Register = "clear",
        **quotes: str,
    ) -> str:
        return rng.choice(self.variants(scenario, customer_type, lang, move, register, **quotes))

    def tell(self, rng: random.Random, customer_type: str, lang: Lang) -> str:
        """A short extra line that shows the type's style (easy sessions)."""
        return rng.choice(self.voices[customer_type].tells[lang])


def _fill(template: str, values: ReadOnlyMap[str, str], lang: Lang) -> str:
    text = template.format_map(values)
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
    allowed = {*BASE_MOVES, *SLIP_MOVES, *(f"need_{need}" for need in need_codes(code))}
    for lang in SUPPORTED_LANGS:
        missing = [
            move
            for move in (*BASE_MOVES, *(f"need_{need}" for need in need_codes(code)))
            if move not in raw["clear"][lang]
        ]
        if missing:
            raise KnowledgeError(f"{shown} (clear.{lang}): missing moves {', '.join(missing)}")
    for register in ("clear", "subtle", "backup"):
        for lang, moves in raw[register].items():
            for move, lines in moves.items():
                if move not in allowed:
                    raise KnowledgeError(
                        f"{shown} ({register}.{lang}): unknown move {move!r} "
                        f"(allowed: {', '.join(sorted(allowed))})"
                    )
                for line in lines:
                    _check_template(line, f"{shown} ({register}.{lang}.{move})")
    return Voice(
        code,
        MappingProxyType(raw["backup_style"]),
        raw["tells"],
        {register: raw[register] for register in ("clear", "subtle", "backup")},
    )


def _check_template(line: str, where: str) -> None:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(line) if name is not None]
    except ValueError as exc:
        raise KnowledgeError(f"{where}: broken placeholder in {line!r} ({exc})") from exc
    unknown = [name for name in fields if name not in (*FACTS, *QUOTES)]
    if unknown:
        raise KnowledgeError(
            f"{where}: unknown placeholder {{{unknown[0]}}} in {line!r} "
            f"(allowed: {', '.join('{' + name + '}' for name in (*FACTS, *QUOTES))})"
        )


def _read_scenario(code: str, base_dir: Path) -> Scenario:
    raw: dict[str, Any] = load_knowledge(f"scenarios/{code}.yml", SCENARIO_SCHEMA, base_dir)

    def words(key: str) -> ReadOnlyMap[str, tuple[str, ...]]:
        return MappingProxyType({lang: tuple(raw[key][lang]) for lang in SUPPORTED_LANGS})

    return Scenario(
        code=code,
        setting=raw["setting"],
        aliases=words("aliases"),
        title=MappingProxyType(raw["title"]),
        brief=MappingProxyType(raw["brief"]),
        facts=MappingProxyType(
            {lang: MappingProxyType(raw["facts"][lang]) for lang in SUPPORTED_LANGS}
        ),
        remedy=MappingProxyType(raw["remedy"]),
        remedy_words=words("remedy_words"),
        personal_words=words("personal_words"),
        answers=tuple(
            Answer(
                about=MappingProxyType(
                    {lang: tuple(item["about"][lang]) for lang in SUPPORTED_LANGS}
                ),
                answer=MappingProxyType(item["answer"]),
            )
            for item in raw["answers"]
        ),
        feedback_examples=MappingProxyType(
            {style: MappingProxyType(raw["feedback_examples"][style]) for style in FEEDBACK_STYLES}
        ),
        better=MappingProxyType(
            {code: MappingProxyType(raw["better"][code]) for code in ALL_AVOID_CODES}
        ),
        phrasings=words("phrasings"),
    )


@lru_cache(maxsize=1)
def load_library() -> ScenarioLibrary:
    """The shipped library, loaded once per process."""
    return read_library()


def setting_of(said: Sequence[str], lang: Lang) -> str | None:
    """The service setting a customer's lines are most likely about, by the words of the
    library's cases (their names and what would settle them); None when nothing points to
    one setting."""
    text = " ".join(said).lower()
    hits: dict[str, int] = {}
    for scenario in load_library().scenarios.values():
        words = {*scenario.aliases[lang], *scenario.remedy_words[lang]}
        found = sum(1 for word in words if word.lower() in text)
        hits[scenario.setting] = max(hits.get(scenario.setting, 0), found)
    ranked = sorted(hits, key=hits.__getitem__, reverse=True)
    best = ranked[0] if ranked and hits[ranked[0]] else None
    if best is None or (len(ranked) > 1 and hits[ranked[1]] == hits[best]):
        return None  # no case's words, or two settings tied
    return best


def scenario_names(lang: Lang) -> dict[str, str]:
    """Each scenario's code → its title in `lang` (what every page shows instead of codes)."""
    return {code: scenario.title[lang] for code, scenario in load_library().scenarios.items()}
