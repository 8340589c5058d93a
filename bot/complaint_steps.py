"""Which of the six complaint-handling steps a trainee's reply shows (for the scorecard)."""

import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.coaching_codes import GOOD_MOVE_CODES
from bot.cue_matcher import CueMatcher
from bot.knowledge_loader import BILINGUAL, ListOf, MapOf, Mapping, OneOf, Text, load_knowledge
from bot.language import Lang
from bot.reply_analyzer import ReplyAnalysis

STEPS = ("calm", "propose", "agree", "implement", "follow_up", "prevent")
STEP_SCHEMA = Mapping(
    required={
        "name": BILINGUAL,
        "moves": ListOf(OneOf(GOOD_MOVE_CODES), min_items=0),
        "cues": MapOf(("zh", "en"), ListOf(Text(max_length=60))),
        "example": BILINGUAL,
    }
)


@dataclass(frozen=True)
class StepCoverage:
    covered: dict[str, int]  # step -> first turn (1-based) that showed it
    in_order: bool
    out_of_order: tuple[str, str] | None  # (a later step that came first, the earlier step)


class ComplaintSteps:
    def __init__(self, steps: dict[str, Any]) -> None:
        self._steps = steps
        self._matcher = CueMatcher({code: steps[code]["cues"] for code in STEPS})

    def name(self, step: str, lang: Lang) -> str:
        return str(self._steps[step]["name"][lang])

    def example(self, step: str, lang: Lang) -> str:
        return str(self._steps[step]["example"][lang])

    def shown_in(self, reply: str, analysis: ReplyAnalysis) -> list[str]:
        """The steps one reply shows, in step order."""
        found = {match.label for match in self._matcher.find(reply, analysis.lang)}
        moves = {flag.code for flag in analysis.flags if flag.severity == "good"}
        found |= {code for code in STEPS if moves & set(self._steps[code]["moves"])}
        return [code for code in STEPS if code in found]


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
    """The shipped step cues, loaded once per process."""
    return ComplaintSteps(load_knowledge("complaint_steps.yml", MapOf(STEPS, STEP_SCHEMA)))
