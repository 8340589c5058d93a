"""The four customer types and their corners on the two axes, from customer_types.yml."""

from collections.abc import Mapping as ReadOnlyMap
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from bot.coaching_codes import TYPE_CODES, CustomerType, as_customer_type
from bot.knowledge_loader import BILINGUAL, KnowledgeError, MapOf, Mapping, Number, load_knowledge

# The contract fixes each type's corner (directness, orientation):
# power (+,-), social (+,+), harmonious (-,+), thinking (-,-).
CONTRACT_CORNERS = {
    "power": (1.0, -1.0),
    "social": (1.0, 1.0),
    "harmonious": (-1.0, 1.0),
    "thinking": (-1.0, -1.0),
}

TYPE_SCHEMA = Mapping(
    required={
        "name": BILINGUAL,
        "directness": Number(-1, 1),
        "orientation": Number(-1, 1),
        "summary": BILINGUAL,
    }
)
TYPES_SCHEMA = MapOf(TYPE_CODES, TYPE_SCHEMA)


@dataclass(frozen=True)
class TypeProfile:
    code: str
    name: ReadOnlyMap[str, str]
    directness: float
    orientation: float
    summary: ReadOnlyMap[str, str]


@lru_cache(maxsize=1)
def load_customer_types() -> ReadOnlyMap[str, TypeProfile]:
    """Load and check the types; a corner that contradicts the contract is refused."""
    raw = load_knowledge("customer_types.yml", TYPES_SCHEMA)
    types: dict[str, TypeProfile] = {}
    for code in TYPE_CODES:
        entry = raw[code]
        corner = (float(entry["directness"]), float(entry["orientation"]))
        if corner != CONTRACT_CORNERS[code]:
            raise KnowledgeError(
                f"bot/knowledge/customer_types.yml ({code}): corner {corner} differs from the "
                f"coaching model's {CONTRACT_CORNERS[code]}"
            )
        types[code] = TypeProfile(
            code=code,
            name=MappingProxyType(entry["name"]),
            directness=corner[0],
            orientation=corner[1],
            summary=MappingProxyType(entry["summary"]),
        )
    return MappingProxyType(types)


def type_named_in(text: str) -> CustomerType | None:
    """The customer type a message names ("思考型客户怎么沟通", "tips for thinking")."""
    lowered = text.lower()
    for code, customer_type in load_customer_types().items():
        names = (code, customer_type.name["zh"], customer_type.name["en"].lower())
        if any(name in lowered for name in names):
            return as_customer_type(code)
    return None
