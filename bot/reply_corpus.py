"""Read the annotated trainee replies in replies/ (format and guide: replies/README.md).

Training (scripts/train_reply_model.py), evaluation (eval/replies.py) and the corpus check
(scripts/check_reply_corpus.py) all read the corpus through `load_part`, which refuses a
record that breaks the contract's codes, naming the file and the record.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.coaching_codes import (
    COMPLAINT_STEPS,
    GENERAL_AVOID_CODES,
    GOOD_MOVE_CODES,
    SETTINGS,
    STYLE_MISMATCH_CODES,
    TYPE_CODES,
    CustomerType,
    UsedFeedback,
)
from bot.language import Lang, detect_language
from bot.limits import MAX_MESSAGE_CHARS

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "replies"
PARTS = ("train", "heldout")
FEEDBACK: tuple[UsedFeedback, ...] = ("fact", "feeling", "summary", "none")
FEEDBACK_GOOD = ("fact_feedback", "feeling_feedback", "summary_feedback")
# Good moves a record lists itself; the three feedback moves come from its `feedback`.
LISTED_GOOD = tuple(code for code in GOOD_MOVE_CODES if code not in FEEDBACK_GOOD)
STEPS = COMPLAINT_STEPS
KEYS = frozenset(
    {"id", "setting", "customer_type", "customer", "reply", "feedback", "good", "avoid", "steps"}
)


class CorpusError(ValueError):
    """A corpus file or record that does not follow replies/README.md."""


@dataclass(frozen=True)
class AvoidSpan:
    code: str
    span: str
    start: int
    end: int


@dataclass(frozen=True)
class ReplyRecord:
    id: str
    lang: Lang
    setting: str
    customer_type: CustomerType
    customer: str
    reply: str
    feedback: UsedFeedback
    good: tuple[str, ...]
    avoid: tuple[AvoidSpan, ...]
    steps: tuple[str, ...]
    source: str

    @property
    def avoid_codes(self) -> frozenset[str]:
        return frozenset(item.code for item in self.avoid)


def part_files(part: str, corpus_dir: Path = CORPUS_DIR) -> list[Path]:
    return sorted((corpus_dir / part).glob("*.yml"))


def load_part(paths: list[Path]) -> list[ReplyRecord]:
    """Every record of these files, checked."""
    records: list[ReplyRecord] = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("replies"), list):
            raise CorpusError(f"{_shown(path)}: expected a mapping with a 'replies' list")
        for index, raw in enumerate(data["replies"], start=1):
            records.append(check_record(raw, f"{_shown(path)} #{index}", path.name))
    seen: dict[str, int] = {}
    for record in records:
        seen[record.id] = seen.get(record.id, 0) + 1
    repeated = sorted(record_id for record_id, count in seen.items() if count > 1)
    if repeated:
        raise CorpusError(f"ids used more than once: {', '.join(repeated[:10])}")
    return records


def load_corpus(part: str, corpus_dir: Path = CORPUS_DIR) -> list[ReplyRecord]:
    return load_part(part_files(part, corpus_dir))


def check_record(raw: Any, where: str, source: str = "") -> ReplyRecord:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: expected a mapping")
    if set(raw) != KEYS:
        missing, extra = sorted(KEYS - set(raw)), sorted(set(raw) - KEYS)
        raise CorpusError(f"{where}: missing {missing}, unknown {extra}")
    reply, customer = raw["reply"], raw["customer"]
    if not isinstance(reply, str) or not reply.strip() or len(reply) > MAX_MESSAGE_CHARS:
        raise CorpusError(f"{where}: reply must be text of 1 to {MAX_MESSAGE_CHARS} characters")
    if not isinstance(customer, str) or not customer.strip():
        raise CorpusError(f"{where}: customer must be the customer's line")
    lang = detect_language(reply)
    if lang is None:
        raise CorpusError(f"{where}: the reply is in neither Chinese nor English")
    if raw["setting"] not in SETTINGS:
        raise CorpusError(f"{where}: setting must be one of {', '.join(SETTINGS)}")
    customer_type = raw["customer_type"]
    if customer_type not in TYPE_CODES:
        raise CorpusError(f"{where}: customer_type must be one of {', '.join(TYPE_CODES)}")
    if raw["feedback"] not in FEEDBACK:
        raise CorpusError(f"{where}: feedback must be one of {', '.join(FEEDBACK)}")
    good = _codes(raw["good"], LISTED_GOOD, where, "good (feedback goes in feedback)")
    steps = _codes(raw["steps"], STEPS, where, "steps")
    return ReplyRecord(
        id=str(raw["id"]),
        lang=lang,
        setting=raw["setting"],
        customer_type=customer_type,
        customer=customer,
        reply=reply,
        feedback=raw["feedback"],
        good=good,
        avoid=_avoid(raw["avoid"], reply, customer_type, where),
        steps=steps,
        source=source,
    )


def _codes(value: Any, allowed: tuple[str, ...], where: str, name: str) -> tuple[str, ...]:
    codes = value or []
    if not isinstance(codes, list) or any(code not in allowed for code in codes):
        raise CorpusError(f"{where}: {name} are {', '.join(allowed)}")
    return tuple(dict.fromkeys(codes))


def _avoid(value: Any, reply: str, customer_type: str, where: str) -> tuple[AvoidSpan, ...]:
    allowed = GENERAL_AVOID_CODES + STYLE_MISMATCH_CODES[customer_type]
    items = value or []
    if not isinstance(items, list):
        raise CorpusError(f"{where}: avoid must be a list of {{code, span}}")
    found: list[AvoidSpan] = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"code", "span"}:
            raise CorpusError(f"{where}: each avoid item is {{code: …, span: …}}")
        if item["code"] not in allowed:
            raise CorpusError(
                f"{where}: avoid code {item['code']!r} is not allowed for a {customer_type} "
                f"customer (allowed: {', '.join(allowed)})"
            )
        span = item["span"]
        if not isinstance(span, str) or not span.strip() or span not in reply:
            raise CorpusError(f"{where}: span {span!r} is not copied exactly from the reply")
        # The same words listed twice point to their first and second occurrence.
        taken = {(other.start, other.span) for other in found}
        start = reply.index(span)
        while (start, span) in taken and reply.find(span, start + 1) >= 0:
            start = reply.find(span, start + 1)
        found.append(AvoidSpan(item["code"], span, start, start + len(span)))
    return tuple(found)


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
