"""Judge a trainee's reply: phrases to avoid, style mismatches, good moves, listening feedback,
complaint-handling steps and whether empathy was called for — in one pass.

The decisions come from the trained reply model (bot/reply_model.py). Rules add only what a
model can't: the exact words to underline (the coaches' cue phrases and the concrete-time
parser, inside the clause the model flagged) and the playbook's explanation and better
phrasing for each problem. A problem the model is unsure about is a `tip`, not an `avoid`.
The thresholds were chosen on cross-validation and are reported in docs/reply-report.md.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from bot.coaching_codes import (
    GOOD_MOVE_CODES,
    RECOMMENDED_FEEDBACK,
    STYLE_MISMATCH_CODES,
    CustomerType,
    Severity,
    UsedFeedback,
)
from bot.cue_matcher import CueMatch
from bot.knowledge_loader import BILINGUAL, MapOf, Mapping, load_knowledge
from bot.language import DEFAULT_LANG, Lang, detect_language
from bot.payloads import AnalysisPayload, FlagPayload
from bot.playbook import Playbook, load_playbook
from bot.reply_features import cue_matches, lexicon_matcher
from bot.reply_model import CLAUSE_HEADS, ReplyModel, ReplyPrediction, reply_model
from bot.time_expressions import find_times

Empathy = Literal["given", "missing", "not_needed"]

# Probability at which a problem is flagged to avoid, and at which it is still worth a tip.
AVOID_AT = 0.5
TIP_AT = 0.3
# Probability at which a good move or a complaint-handling step counts.
GOOD_AT = 0.5
STEP_AT = 0.5
FEEDBACK_GOOD = {
    "fact": "fact_feedback",
    "feeling": "feeling_feedback",
    "summary": "summary_feedback",
}
# Where a good move's words usually are, when the coaches' cue list does not point at them.
GOOD_WORDS = {
    "empathy": ("apology", "feeling_frame"),
    "confirm_understanding": ("restate_frame",),
    "ownership": ("own_action",),
    "consultative_question": ("preference_question",),
    "evidence": ("evidence_word",),
}
# A customer line with these word classes (or exclamation marks) calls for empathy.
UPSET_WORDS = ("emotion", "dismissal")

NOTES_SCHEMA = Mapping(
    required={
        "good": MapOf(GOOD_MOVE_CODES, BILINGUAL),
        "unsure": BILINGUAL,
        "empathy_missing": BILINGUAL,
        "no_words": BILINGUAL,
        "other_language": BILINGUAL,
    }
)
POINTS = {"avoid": -15, "tip": -3, "good": 6}
GOOD_POINTS_CAP = 30
FEEDBACK_FIT_POINTS = 10
EMPATHY_MISSING_POINTS = -5
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
    confidence: float = 1.0


@dataclass(frozen=True)
class ReplyAnalysis:
    reply: str  # the text the flags' spans point into
    flags: list[Flag]
    feedback_style: UsedFeedback
    feedback_confidence: float
    feedback_fits: bool | None
    steps: list[str]  # complaint-handling steps the reply shows, in the model's order
    empathy: Empathy | None  # None: nobody said what the customer felt
    score: int
    reasons: list[tuple[str, int]]  # (what was recognised, points) in the order counted
    lang: Lang | None  # None: the reply has no words in a language the coach reads

    def codes(self, severity: Severity) -> set[str]:
        return {flag.code for flag in self.flags if flag.severity == severity}


class ReplyAnalyzer:
    def __init__(self, model: ReplyModel, notes: dict[str, Any], playbook: Playbook) -> None:
        self._model = model
        self._notes = notes
        self._playbook = playbook

    def analyze(
        self,
        reply: str,
        customer_type: CustomerType | None = None,
        customer_line: str | None = None,
        lang: Lang | None = None,
        upset: bool | None = None,
    ) -> ReplyAnalysis:
        """`customer_line`: what the customer said just before; `upset`: whether the customer
        is upset (role-play knows); without either, empathy is not judged."""
        detected = detect_language(reply)
        if detected is None:
            return self._unreadable(reply, lang or DEFAULT_LANG)
        lang = lang or detected
        prediction = self._model.predict(reply, customer_line, lang)
        flags = self._avoid_flags(reply, prediction, customer_type, lang)
        flags += self._good_flags(reply, prediction, customer_line, lang)
        style = max(prediction.feedback, key=prediction.feedback.__getitem__)
        if style != "none":
            flags.append(self._feedback_flag(reply, prediction, style, lang))
        flags.sort(key=lambda flag: (flag.start, flag.end))
        fits = None if customer_type is None else style == RECOMMENDED_FEEDBACK[customer_type]
        empathy = _empathy(flags, _needs_empathy(customer_line, upset))
        steps = [
            head.split(":")[1]
            for head, p in prediction.heads.items()
            if head.startswith("step:") and p >= STEP_AT
        ]
        score, reasons = _score(flags, fits, empathy)
        return ReplyAnalysis(
            reply=reply,
            flags=flags,
            feedback_style=style,  # type: ignore[arg-type]
            feedback_confidence=round(prediction.feedback[style], 3),
            feedback_fits=fits,
            steps=steps,
            empathy=empathy,
            score=score,
            reasons=reasons,
            lang=lang,
        )

    def empathy_note(self, lang: Lang) -> str:
        return str(self._notes["empathy_missing"][lang])

    def unreadable_note(self, analysis: ReplyAnalysis, lang: Lang) -> str | None:
        """Why an analysis found nothing to judge (no words, or another language)."""
        if analysis.lang is not None:
            return None
        return str(self._notes[analysis.reasons[0][0]][lang])

    def _unreadable(self, reply: str, lang: Lang) -> ReplyAnalysis:
        """Emoji, punctuation or another script: nothing is invented, and the reason says why."""
        reason = "no_words" if not any(ch.isalpha() for ch in reply) else "other_language"
        return ReplyAnalysis(reply, [], "none", 1.0, None, [], None, 0, [(reason, 0)], None)

    def _avoid_flags(
        self, reply: str, prediction: ReplyPrediction, customer_type: str | None, lang: Lang
    ) -> list[Flag]:
        own_style = STYLE_MISMATCH_CODES.get(customer_type or "", ())
        cues = cue_matches(reply, lang)
        flags: list[Flag] = []
        for head in CLAUSE_HEADS:
            kind, code = head.split(":")
            if kind == "style" and code not in own_style:
                continue
            for (start, end), p in zip(
                prediction.clauses, prediction.clause_heads[head], strict=True
            ):
                if p < TIP_AT:
                    continue
                severity: Severity = "avoid" if p >= AVOID_AT else "tip"
                span_start, span_end = _tightest(cues, code, start, end)
                why, better = self._advice(code, customer_type, lang)
                if severity == "tip":
                    why = f"{self._notes['unsure'][lang]} {why}"
                flags.append(
                    Flag(
                        code,
                        severity,
                        span_start,
                        span_end,
                        reply[span_start:span_end],
                        why,
                        better,
                        round(p, 3),
                    )
                )
        return flags

    def _good_flags(
        self, reply: str, prediction: ReplyPrediction, customer_line: str | None, lang: Lang
    ) -> list[Flag]:
        cues = cue_matches(reply, lang)
        words = lexicon_matcher().find(reply, lang)
        flags = []
        for head, p in prediction.heads.items():
            kind, code = head.split(":")
            if kind != "good" or p < GOOD_AT:
                continue
            if code == "concrete_commitment":
                span = _own_time(reply, customer_line, lang)
                if span is None:
                    continue  # a promise needs a time of the trainee's own
            else:
                span = _good_span(reply, cues, words, code, prediction.clauses)
            flags.append(self._good(reply, code, span, p, lang))
        return flags

    def _feedback_flag(
        self, reply: str, prediction: ReplyPrediction, style: str, lang: Lang
    ) -> Flag:
        return self._good(
            reply, FEEDBACK_GOOD[style], prediction.clauses[0], prediction.feedback[style], lang
        )

    def _good(self, reply: str, code: str, span: tuple[int, int], p: float, lang: Lang) -> Flag:
        start, end = span
        return Flag(
            code,
            "good",
            start,
            end,
            reply[start:end],
            str(self._notes["good"][code][lang]),
            None,
            round(p, 3),
        )

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
                confidence=flag.confidence,
            )
            for flag in analysis.flags
        ],
        "feedback_style": analysis.feedback_style,
        "feedback_confidence": analysis.feedback_confidence,
        "feedback_fits": analysis.feedback_fits,
        "steps": analysis.steps,
        "empathy": analysis.empathy,
        "score": analysis.score,
        "reasons": [{"code": code, "points": points} for code, points in analysis.reasons],
        "lang": analysis.lang,
    }


def _tightest(cues: Sequence[CueMatch], code: str, start: int, end: int) -> tuple[int, int]:
    """The coaches' exact phrase for `code` inside the flagged clause, else the clause."""
    inside = [cue for cue in cues if cue.label == code and cue.start >= start and cue.end <= end]
    return (inside[0].start, inside[0].end) if inside else (start, end)


def _good_span(
    reply: str,
    cues: Sequence[CueMatch],
    words: Sequence[CueMatch],
    code: str,
    clauses: Sequence[tuple[int, int]],
) -> tuple[int, int]:
    for cue in cues:
        if cue.label == code:
            return cue.start, cue.end
    for word in words:
        if word.label in GOOD_WORDS.get(code, ()):
            return next(((s, e) for s, e in clauses if s <= word.start < e), (word.start, word.end))
    if code == "consultative_question":
        # A question is the clause the question mark closes, not whatever came first.
        asked = [(s, e) for s, e in clauses if reply[e : e + 1] in ("?", "？")]
        if asked:
            return asked[-1]
    return clauses[0]


def _own_time(reply: str, customer_line: str | None, lang: Lang) -> tuple[int, int] | None:
    """The first concrete time in the reply that the customer did not say first."""
    said = (customer_line or "").lower()
    for start, end in find_times(reply, lang):
        if not said or reply[start:end].lower() not in said:
            return start, end
    return None


def _needs_empathy(customer_line: str | None, upset: bool | None) -> bool | None:
    if upset is not None:
        return upset
    if not customer_line:
        return None
    lang = detect_language(customer_line)
    if lang is None:
        return None
    hits = lexicon_matcher().find(customer_line, lang)
    return (
        any(hit.label in UPSET_WORDS for hit in hits)
        or customer_line.count("!") + customer_line.count("！") >= 1
    )


def _empathy(flags: Sequence[Flag], needed: bool | None) -> Empathy | None:
    if needed is None:
        return None
    if not needed:
        return "not_needed"
    given = any(flag.code in ("empathy", "feeling_feedback") for flag in flags)
    return "given" if given else "missing"


def _score(
    flags: Sequence[Flag], fits: bool | None, empathy: Empathy | None
) -> tuple[int, list[tuple[str, int]]]:
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
    if empathy == "missing":
        reasons.append(("empathy_missing", EMPATHY_MISSING_POINTS))
    score = BASE_SCORE + sum(points for _, points in reasons)
    return max(0, min(100, score)), reasons


def build_analyzer(model: ReplyModel) -> ReplyAnalyzer:
    """An analyzer for `model` with the shipped notes and playbook (evaluation builds one per
    cross-validation fold)."""
    return ReplyAnalyzer(model, load_knowledge("reply_notes.yml", NOTES_SCHEMA), load_playbook())


@lru_cache(maxsize=1)
def reply_analyzer() -> ReplyAnalyzer:
    """The analyzer for the trained model and the shipped playbook, built once per process."""
    return build_analyzer(reply_model())
