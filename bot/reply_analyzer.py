"""Check a trainee's draft reply: phrases to avoid, style mismatches, good moves, feedback style.

Cue phrases (bot/knowledge/reply_cues.yml) are matched with spaCy's PhraseMatcher; concrete
times come from the rules in bot/time_expressions.py. Explanations and better alternatives
come from the playbook, so coaches edit one place.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from bot.coaching_codes import (
    GENERAL_AVOID_CODES,
    GOOD_MOVE_CODES,
    RECOMMENDED_FEEDBACK,
    STYLE_MISMATCH_CODES,
    FeedbackStyle,
    Severity,
)
from bot.cue_matcher import CueMatch, CueMatcher
from bot.knowledge_loader import BILINGUAL, ListOf, MapOf, Mapping, Text, load_knowledge
from bot.language import DEFAULT_LANG, Lang, detect_language
from bot.payloads import AnalysisPayload, FlagPayload
from bot.playbook import Playbook, load_playbook
from bot.time_expressions import find_times

STYLE_CODES = tuple(code for codes in STYLE_MISMATCH_CODES.values() for code in codes)
GOOD_CUE_CODES = tuple(code for code in GOOD_MOVE_CODES if code != "concrete_commitment")
FEEDBACK_CODES: dict[str, FeedbackStyle] = {
    "fact_feedback": "fact",
    "feeling_feedback": "feeling",
    "summary_feedback": "summary",
}
# The agent's own next step, after which "I don't know" is a hand-over, not a dead end.
FOLLOW_UP = {
    "zh": (
        "我查",
        "帮您查",
        "我确认",
        "我核实",
        "我问一下",
        "帮您问",
        "给您答复",
        "给您回复",
        "回复您",
        "答复您",
    ),
    "en": (
        "let me check",
        "i'll check",
        "i will check",
        "let me find out",
        "i'll find out",
        "get back to you",
        "let me confirm",
        "i'll confirm",
        "look it up",
    ),
}
# Beyond this a reply to a power customer buries the conclusion.
LONG_REPLY = {"zh": 150, "en": 90}  # characters for Chinese, words for English

CUE_LIST = MapOf(("zh", "en"), ListOf(Text(max_length=60)))
CUES_SCHEMA = Mapping(
    required={
        "avoid": MapOf(GENERAL_AVOID_CODES, CUE_LIST),
        "style": MapOf(STYLE_CODES, CUE_LIST),
        "good": MapOf(GOOD_CUE_CODES, CUE_LIST),
    }
)
NOTES_SCHEMA = Mapping(
    required={
        "good": MapOf(GOOD_MOVE_CODES, BILINGUAL),
        "softened": BILINGUAL,
        "too_long": BILINGUAL,
    }
)

POINTS = {"avoid": -15, "tip": -3, "good": 6}
GOOD_POINTS_CAP = 30
FEEDBACK_FIT_POINTS = 10
BASE_SCORE = 60


@dataclass(frozen=True)
class Flag:
    code: str
    severity: Severity
    start: int
    end: int
    text: str
    explanation: str
    better: str | None = None


@dataclass(frozen=True)
class ReplyAnalysis:
    reply: str  # the text the flags' spans point into
    flags: list[Flag]
    feedback_style: Literal["fact", "feeling", "summary", "none"]
    feedback_fits: bool | None
    score: int
    reasons: list[tuple[str, int]]  # (code, points) in the order they were counted
    lang: Lang


class ReplyAnalyzer:
    def __init__(self, cues: dict[str, Any], notes: dict[str, Any], playbook: Playbook) -> None:
        self._matcher = CueMatcher({**cues["avoid"], **cues["style"], **cues["good"]})
        self._notes = notes
        self._playbook = playbook

    def analyze(
        self, reply: str, customer_type: str | None = None, lang: Lang | None = None
    ) -> ReplyAnalysis:
        lang = lang or detect_language(reply) or DEFAULT_LANG
        matches = self._matcher.find(reply, lang)
        times = find_times(reply, lang)
        flags = self._avoid_flags(reply, matches, times, customer_type, lang)
        flags += self._good_flags(matches, times, reply, lang)
        flags.sort(key=lambda flag: (flag.start, flag.end))
        style = self._feedback_style(flags, customer_type)
        fits = None if customer_type is None else style == RECOMMENDED_FEEDBACK[customer_type]
        score, reasons = _score(flags, fits)
        return ReplyAnalysis(reply, flags, style, fits, score, reasons, lang)

    def _avoid_flags(
        self,
        reply: str,
        matches: list[CueMatch],
        times: list[tuple[int, int]],
        customer_type: str | None,
        lang: Lang,
    ) -> list[Flag]:
        own_style = STYLE_MISMATCH_CODES.get(customer_type or "", ())
        warm = any(m.label in ("empathy", "feeling_feedback") for m in matches)
        flags = []
        for match in matches:
            if match.label in GENERAL_AVOID_CODES:
                softened = (match.label == "vague_time" and times) or (
                    match.label == "dont_know" and self._has_follow_up(reply, times, lang)
                )
                flags.append(
                    self._avoid(match, "tip" if softened else "avoid", customer_type, lang)
                )
            elif match.label in own_style:
                if match.label == "vague_goal" and times:
                    continue  # "跟进一下" next to a concrete time is a real commitment
                if match.label == "cold" and warm:
                    continue
                flags.append(self._avoid(match, "avoid", customer_type, lang))
        conclusion_first = any(start < len(reply) // 3 for start, _ in times)
        if (
            customer_type == "power"
            and _length(reply, lang) > LONG_REPLY[lang]
            and not conclusion_first
        ):
            flags.append(self._too_long(reply, lang))
        return flags

    def _avoid(
        self, match: CueMatch, severity: Severity, customer_type: str | None, lang: Lang
    ) -> Flag:
        why, better = self._advice(match.label, customer_type, lang)
        if severity == "tip":
            why = f"{self._notes['softened'][lang]} {why}"
        return Flag(match.label, severity, match.start, match.end, match.text, why, better)

    def _advice(self, code: str, customer_type: str | None, lang: Lang) -> tuple[str, str | None]:
        """Explanation and better phrasing: the type's own advice first, then the general one."""
        if customer_type is not None:
            for item in self._playbook.types[customer_type]["avoid"]:
                if item["code"] == code:
                    return str(item["why"][lang]), str(item["better"][lang])
        for entry in self._playbook.general["phrases_to_avoid"]:
            if entry["code"] == code:
                return str(entry["why"][lang]), str(entry["better"][lang])
        for customer, codes in STYLE_MISMATCH_CODES.items():
            if code in codes:
                return self._advice(code, customer, lang)
        return "", None

    def _too_long(self, reply: str, lang: Lang) -> Flag:
        _, better = self._advice("wastes_time", "power", lang)
        return Flag(
            "wastes_time", "avoid", 0, len(reply), reply, self._notes["too_long"][lang], better
        )

    def _good_flags(
        self, matches: list[CueMatch], times: list[tuple[int, int]], reply: str, lang: Lang
    ) -> list[Flag]:
        flags = [
            Flag(m.label, "good", m.start, m.end, m.text, self._notes["good"][m.label][lang])
            for m in matches
            if m.label in GOOD_CUE_CODES
        ]
        note = self._notes["good"]["concrete_commitment"][lang]
        flags += [
            Flag("concrete_commitment", "good", start, end, reply[start:end], note)
            for start, end in times
        ]
        return flags

    @staticmethod
    def _has_follow_up(reply: str, times: list[tuple[int, int]], lang: Lang) -> bool:
        lowered = reply.lower()
        return bool(times) or any(cue in lowered for cue in FOLLOW_UP[lang])

    @staticmethod
    def _feedback_style(
        flags: list[Flag], customer_type: str | None
    ) -> Literal["fact", "feeling", "summary", "none"]:
        used = [FEEDBACK_CODES[f.code] for f in flags if f.code in FEEDBACK_CODES]
        if not used:
            return "none"
        recommended = RECOMMENDED_FEEDBACK.get(customer_type or "")
        return recommended if recommended in used else used[0]


def analysis_payload(analysis: ReplyAnalysis) -> AnalysisPayload:
    """The analysis as every client receives it (web panel, Slack, transcripts)."""
    return {
        "reply": analysis.reply,
        "flags": [
            FlagPayload(
                code=flag.code,
                severity=flag.severity,
                start=flag.start,
                end=flag.end,
                text=flag.text,
                explanation=flag.explanation,
                better=flag.better,
            )
            for flag in analysis.flags
        ],
        "feedback_style": analysis.feedback_style,
        "feedback_fits": analysis.feedback_fits,
        "score": analysis.score,
        "lang": analysis.lang,
    }


def _length(reply: str, lang: Lang) -> int:
    return len(reply.strip()) if lang == "zh" else len(reply.split())


def _score(flags: list[Flag], fits: bool | None) -> tuple[int, list[tuple[str, int]]]:
    reasons: list[tuple[str, int]] = []
    good_total = 0
    seen_good: set[str] = set()
    for flag in flags:
        if flag.severity == "good":
            if flag.code in seen_good or good_total >= GOOD_POINTS_CAP:
                continue
            seen_good.add(flag.code)
            good_total += POINTS["good"]
        reasons.append((flag.code, POINTS[flag.severity]))
    if fits is not None:
        reasons.append(
            ("feedback_fits" if fits else "feedback_missing", FEEDBACK_FIT_POINTS if fits else 0)
        )
    score = BASE_SCORE + sum(points for _, points in reasons)
    return max(0, min(100, score)), reasons


@lru_cache(maxsize=1)
def reply_analyzer() -> ReplyAnalyzer:
    """The analyzer for the shipped cue lists and playbook, built once per process."""
    return ReplyAnalyzer(
        load_knowledge("reply_cues.yml", CUES_SCHEMA),
        load_knowledge("reply_notes.yml", NOTES_SCHEMA),
        load_playbook(),
    )
