"""The six complaint-handling steps of the coaching model: their names and an example for
each. Which steps a reply shows is decided by the reply analysis (the model's `step:` heads),
in the same pass as everything else about the reply."""

import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.coaching_codes import COMPLAINT_STEPS as STEPS
from bot.knowledge_loader import BILINGUAL, MapOf, Mapping, load_knowledge
from bot.language import Lang

STEP_SCHEMA = Mapping(required={"name": BILINGUAL, "example": BILINGUAL})


@dataclass(frozen=True)
class StepCoverage:
    covered: dict[str, int]  # step -> first turn (1-based) that showed it
    in_order: bool
    out_of_order: tuple[str, str] | None  # (a later step that came first, the earlier step)


class ComplaintSteps:
    def __init__(self, steps: dict[str, Any]) -> None:
        self._steps = steps

    def name(self, step: str, lang: Lang) -> str:
        return str(self._steps[step]["name"][lang])

    def example(self, step: str, lang: Lang) -> str:
        return str(self._steps[step]["example"][lang])


def coverage(steps_per_turn: list[list[str]]) -> StepCoverage:
    """First turn of each step, and whether the steps first appeared in the model's order."""
    covered: dict[str, int] = {}
    for turn, steps in enumerate(steps_per_turn, start=1):
        for step in steps:
            covered.setdefault(step, turn)
    ordered = sorted(covered, key=STEPS.index)
    for earlier, later in itertools.pairwise(ordered):
        if covered[later] < covered[earlier]:
            return StepCoverage(covered, False, (later, earlier))
    return StepCoverage(covered, True, None)


@lru_cache(maxsize=1)
def complaint_steps() -> ComplaintSteps:
    """The shipped step names and examples, loaded once per process."""
    return ComplaintSteps(load_knowledge("complaint_steps.yml", MapOf(STEPS, STEP_SCHEMA)))
