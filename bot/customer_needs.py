"""What each customer type needs before a role-play case settles (bot/knowledge/customer_needs.yml),
and whether a reply meets a need, decided from the reply's signals.

A signal is one thing a reply shows: a judgement of the reply analysis (`good:ownership`,
`feedback:feeling`, `avoid:vague_time`, `step:propose`) or a piece of content found in it
(`content:own_time`, `content:person`… see bot/reply_content.py). Each need says which signals
meet it, so the simulated customer's behaviour is an explicit, testable model.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from bot.coaching_codes import TYPE_CODES
from bot.knowledge_loader import (
    BILINGUAL,
    KnowledgeError,
    ListOf,
    MapOf,
    OneOf,
    Table,
    Text,
    load_knowledge,
)
from bot.knowledge_loader import Mapping as MappingSchema

SIGNAL_LIST = ListOf(Text(max_length=40))
NEED_SCHEMA = MappingSchema(
    required={
        "key": OneOf(("true", "false")),
        "name": BILINGUAL,
        "met_by": MappingSchema(
            required={},
            optional={
                "any": SIGNAL_LIST,
                "all": SIGNAL_LIST,
                "instead": SIGNAL_LIST,
                "none": SIGNAL_LIST,
            },
        ),
        "advice": BILINGUAL,
    }
)
NEEDS_SCHEMA = MapOf(TYPE_CODES, Table(NEED_SCHEMA))
SIGNAL_KINDS = ("good", "feedback", "avoid", "step", "content")


@dataclass(frozen=True)
class Need:
    code: str
    key: bool  # must be met for the case to settle
    name: Mapping[str, str]
    any_of: tuple[str, ...]
    all_of: tuple[str, ...]
    none_of: tuple[str, ...]
    advice: Mapping[str, str]
    instead_of: tuple[str, ...] = ()  # any one of these alone meets it too (still not with none)

    @property
    def only_absence(self) -> bool:
        """Met by what a reply leaves out ("patience, no pressure"), so it must keep holding."""
        return not (self.any_of or self.all_of or self.instead_of)

    def met_by(self, signals: Collection[str]) -> bool:
        usual = (not self.any_of or any(s in signals for s in self.any_of)) and all(
            s in signals for s in self.all_of
        )
        alternative = any(s in signals for s in self.instead_of)
        return (usual or alternative) and not any(s in signals for s in self.none_of)


@lru_cache(maxsize=1)
def customer_needs() -> Mapping[str, tuple[Need, ...]]:
    """Each type's needs, in the order the customer asks for them."""
    raw: dict[str, Any] = load_knowledge("customer_needs.yml", NEEDS_SCHEMA)
    needs: dict[str, tuple[Need, ...]] = {}
    for customer_type in TYPE_CODES:
        found = []
        for code, entry in raw[customer_type].items():
            met_by = entry["met_by"]
            signals = [
                signal
                for part in ("any", "all", "instead", "none")
                for signal in met_by.get(part, [])
            ]
            for signal in signals:
                if signal.split(":", 1)[0] not in SIGNAL_KINDS:
                    raise KnowledgeError(
                        f"bot/knowledge/customer_needs.yml ({customer_type}.{code}): unknown "
                        f"signal {signal!r} (kinds: {', '.join(SIGNAL_KINDS)})"
                    )
            found.append(
                Need(
                    code=code,
                    key=bool(entry["key"]),
                    name=MappingProxyType(entry["name"]),
                    any_of=tuple(met_by.get("any", [])),
                    all_of=tuple(met_by.get("all", [])),
                    none_of=tuple(met_by.get("none", [])),
                    advice=MappingProxyType(entry["advice"]),
                    instead_of=tuple(met_by.get("instead", [])),
                )
            )
        if not any(need.key for need in found):
            raise KnowledgeError(
                f"bot/knowledge/customer_needs.yml ({customer_type}): no need is marked key"
            )
        needs[customer_type] = tuple(found)
    return MappingProxyType(needs)


def need_codes(customer_type: str) -> tuple[str, ...]:
    return tuple(need.code for need in customer_needs()[customer_type])
