"""Measure the reply analysis on the annotated replies → docs/reply-report.md.

    .venv-rasa/bin/python -m eval.replies        (make eval-replies; part of make eval)

Two measurements, side by side with the cue-list analyzer the product used before:
- 5-fold cross-validation on replies/train: each fold's model is trained on the other four
  folds with the same `fit` that `make train` uses, and the shipped analyzer judges the fold;
- the held-out part, replies/heldout, written apart and never used for any choice: judged by
  a model trained on all of replies/train.
Per language: feedback-style accuracy, macro-F1 and confusion matrix; precision / recall / F1
of every phrase to avoid (severity `avoid` only: a `tip` does not count) and every good move;
complaint steps; and how often a flagged span overlaps the annotated one.
"""

import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.coaching_codes import GENERAL_AVOID_CODES, STYLE_MISMATCH_CODES, UsedFeedback
from bot.reply_analyzer import AVOID_AT, TIP_AT, ReplyAnalysis, build_analyzer
from bot.reply_corpus import FEEDBACK, LISTED_GOOD, STEPS, ReplyRecord, load_corpus
from bot.reply_model import inputs_hash
from eval.cue_baseline import judge
from scripts.train_reply_model import C, features_of, fit

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "reply-report.md"
FOLDS = 5
SEED = 7
LANGS = ("zh", "en")
AVOID = GENERAL_AVOID_CODES + tuple(
    code for codes in STYLE_MISMATCH_CODES.values() for code in codes
)
SWEEP = (0.4, 0.5, 0.6, 0.7, 0.8)


@dataclass(frozen=True)
class Judgement:
    """What one method decided about one reply."""

    feedback: UsedFeedback
    avoid: set[str]
    good: set[str]
    steps: set[str]
    avoid_spans: dict[str, list[tuple[int, int]]]
    confidences: dict[str, float]  # avoid code -> highest flag confidence (tips included)


def from_analysis(analysis: ReplyAnalysis) -> Judgement:
    spans: dict[str, list[tuple[int, int]]] = {}
    confidences: dict[str, float] = {}
    for flag in analysis.flags:
        if flag.severity in ("avoid", "tip"):
            confidences[flag.code] = max(confidences.get(flag.code, 0.0), flag.confidence)
        if flag.severity == "avoid":
            spans.setdefault(flag.code, []).append((flag.start, flag.end))
    return Judgement(
        feedback=analysis.feedback_style,
        avoid=analysis.codes("avoid"),
        good=analysis.codes("good") & set(LISTED_GOOD),
        steps=set(analysis.steps),
        avoid_spans=spans,
        confidences=confidences,
    )


def model_judgements(
    train: Sequence[ReplyRecord], test: Sequence[ReplyRecord]
) -> dict[str, Judgement]:
    analyzer = build_analyzer(fit(features_of(train)))
    return {
        record.id: from_analysis(
            analyzer.analyze(record.reply, record.customer_type, record.customer, record.lang)
        )
        for record in test
    }


def baseline_judgements(records: Iterable[ReplyRecord]) -> dict[str, Judgement]:
    found = {}
    for record in records:
        seen = judge(record.reply, record.customer_type, record.lang)
        found[record.id] = Judgement(seen.feedback, seen.avoid, seen.good, seen.steps, {}, {})
    return found


def cross_validated(records: Sequence[ReplyRecord]) -> dict[str, Judgement]:
    order = list(range(len(records)))
    random.Random(SEED).shuffle(order)
    folds = [set(order[fold::FOLDS]) for fold in range(FOLDS)]
    found: dict[str, Judgement] = {}
    for fold in folds:
        train = [record for index, record in enumerate(records) if index not in fold]
        test = [records[index] for index in sorted(fold)]
        found.update(model_judgements(train, test))
    return found


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return precision, recall, f1


def applies(code: str, record: ReplyRecord) -> bool:
    owner = next((t for t, codes in STYLE_MISMATCH_CODES.items() if code in codes), None)
    return owner is None or record.customer_type == owner


def counts(
    records: Sequence[ReplyRecord],
    judged: dict[str, Judgement],
    codes: Sequence[str],
    gold: Callable[[ReplyRecord], set[str]],
    found: Callable[[Judgement], set[str]],
) -> dict[str, tuple[int, int, int]]:
    table = {}
    for code in codes:
        tp = fp = fn = 0
        for record in records:
            if not applies(code, record):
                continue
            want, got = code in gold(record), code in found(judged[record.id])
            tp += want and got
            fp += got and not want
            fn += want and not got
        table[code] = (tp, fp, fn)
    return table


def micro(table: dict[str, tuple[int, int, int]]) -> tuple[float, float, float]:
    return prf(*(sum(row[i] for row in table.values()) for i in range(3)))


@dataclass(frozen=True)
class Scores:
    accuracy: float
    macro_f1: float
    confusion: Counter[tuple[str, str]]
    avoid: dict[str, tuple[int, int, int]]
    good: dict[str, tuple[int, int, int]]
    steps: dict[str, tuple[int, int, int]]
    span_overlap: float | None
    replies: int


def scores(records: Sequence[ReplyRecord], judged: dict[str, Judgement]) -> Scores:
    confusion: Counter[tuple[str, str]] = Counter(
        (record.feedback, judged[record.id].feedback) for record in records
    )
    per_style = [
        prf(
            confusion[(style, style)],
            sum(confusion[(other, style)] for other in FEEDBACK if other != style),
            sum(confusion[(style, other)] for other in FEEDBACK if other != style),
        )[2]
        for style in FEEDBACK
    ]
    hits = overlapping = 0
    for record in records:
        for item in record.avoid:
            spans = judged[record.id].avoid_spans.get(item.code)
            if spans:
                hits += 1
                overlapping += any(s < item.end and e > item.start for s, e in spans)
    return Scores(
        accuracy=sum(confusion[(s, s)] for s in FEEDBACK) / max(1, len(records)),
        macro_f1=sum(per_style) / len(per_style),
        confusion=confusion,
        avoid=counts(records, judged, AVOID, lambda r: set(r.avoid_codes), lambda j: j.avoid),
        good=counts(records, judged, LISTED_GOOD, lambda r: set(r.good), lambda j: j.good),
        steps=counts(records, judged, STEPS, lambda r: set(r.steps), lambda j: j.steps),
        span_overlap=overlapping / hits if hits else None,
        replies=len(records),
    )


def sweep(records: Sequence[ReplyRecord], judged: dict[str, Judgement]) -> list[str]:
    """Avoid precision and recall if the avoid threshold were elsewhere (tips included)."""
    rows = []
    for threshold in SWEEP:
        if threshold < TIP_AT:
            continue
        cut = {
            record.id: Judgement(
                j.feedback,
                {code for code, p in j.confidences.items() if p >= threshold},
                j.good,
                j.steps,
                {},
                {},
            )
            for record in records
            if (j := judged[record.id])
        }
        table = counts(records, cut, AVOID, lambda r: set(r.avoid_codes), lambda j: j.avoid)
        precision, recall, f1 = micro(table)
        marker = " (shipped)" if threshold == AVOID_AT else ""
        rows.append(f"| {threshold:.1f}{marker} | {precision:.3f} | {recall:.3f} | {f1:.3f} |")
    return rows


def _f(value: float) -> str:
    return f"{value:.3f}"


def summary_rows(label: str, lang: str, s: Scores) -> str:
    ap, ar, _ = micro(s.avoid)
    worst = min(prf(*row)[2] for row in s.avoid.values())
    gf = micro(s.good)[2]
    sf = micro(s.steps)[2]
    return (
        f"| {label} | {lang} | {s.replies} | {_f(s.accuracy)} | {_f(s.macro_f1)} | {_f(ap)} | "
        f"{_f(ar)} | {_f(worst)} | {_f(gf)} | {_f(sf)} |"
    )


def code_table(title: str, parts: dict[str, dict[str, tuple[int, int, int]]]) -> list[str]:
    names = list(parts)
    lines = [f"### {title}", "", "| code | " + " | ".join(f"{n} P / R / F1" for n in names) + " |"]
    lines.append("|---|" + "---|" * len(names))
    for code in next(iter(parts.values())):
        cells = []
        for name in names:
            precision, recall, f1 = prf(*parts[name][code])
            cells.append(f"{precision:.2f} / {recall:.2f} / **{f1:.2f}**")
        lines.append(f"| `{code}` | " + " | ".join(cells) + " |")
    return [*lines, ""]


def confusion_table(s: Scores) -> list[str]:
    lines = ["| annotated \\ judged | " + " | ".join(FEEDBACK) + " |", "|---|" + "---|" * 4]
    for gold in FEEDBACK:
        lines.append(
            f"| {gold} | " + " | ".join(str(s.confusion[(gold, p)]) for p in FEEDBACK) + " |"
        )
    return [*lines, ""]


def main() -> int:
    started = time.monotonic()
    train, heldout = load_corpus("train"), load_corpus("heldout")
    cv = cross_validated(train)
    held = model_judgements(train, heldout)
    base_cv, base_held = baseline_judgements(train), baseline_judgements(heldout)
    minutes = (time.monotonic() - started) / 60
    results: dict[tuple[str, str], Scores] = {}
    for lang in LANGS:
        own_train = [r for r in train if r.lang == lang]
        own_held = [r for r in heldout if r.lang == lang]
        results[("model CV", lang)] = scores(own_train, cv)
        results[("model held-out", lang)] = scores(own_held, held)
        results[("cue list CV", lang)] = scores(own_train, base_cv)
        results[("cue list held-out", lang)] = scores(own_held, base_held)
    lines = [
        "# Reply analysis report",
        "",
        "Written by `eval/replies.py` (`make eval-replies`); do not edit by hand.",
        "",
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {minutes:.1f} min. Reply-model inputs "
        f"hash `{inputs_hash()}`; C = {C}, avoid at p ≥ {AVOID_AT}, tip at p ≥ {TIP_AT}.",
        "",
        f"Data: {len(train)} training replies (`replies/train`, 5-fold cross-validation) and "
        f"{len(heldout)} held-out replies (`replies/heldout`, written apart from the rules and "
        "the training part, by writers who saw only the contract and the annotation guide; "
        "no choice was tuned on them). The cue list is the analyzer this model replaced.",
        "",
        "## Summary",
        "",
        "| method | lang | replies | feedback accuracy | feedback macro-F1 | avoid micro-P | "
        "avoid micro-R | weakest avoid F1 | good micro-F1 | steps micro-F1 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (label, lang), s in results.items():
        lines.append(summary_rows(label, lang, s))
    lines += [
        "",
        "Targets: feedback accuracy ≥ 0.90; avoid micro-P and micro-R ≥ 0.90; every "
        "avoid F1 ≥ 0.80; good micro-F1 ≥ 0.85.",
        "",
    ]
    for lang in LANGS:
        cv_s, held_s = results[("model CV", lang)], results[("model held-out", lang)]
        lines += [f"## {lang}", ""]
        lines += ["### Feedback style, cross-validation", "", *confusion_table(cv_s)]
        lines += ["### Feedback style, held-out", "", *confusion_table(held_s)]
        parts = {
            "model CV": cv_s.avoid,
            "model held-out": held_s.avoid,
            "cue list held-out": results[("cue list held-out", lang)].avoid,
        }
        lines += code_table("Phrases to avoid and style mismatches (severity avoid)", parts)
        parts = {
            "model CV": cv_s.good,
            "model held-out": held_s.good,
            "cue list held-out": results[("cue list held-out", lang)].good,
        }
        lines += code_table("Good moves", parts)
        lines += code_table(
            "Complaint steps", {"model CV": cv_s.steps, "model held-out": held_s.steps}
        )
        overlap = [
            f"{s.span_overlap:.0%}" if s.span_overlap is not None else "—" for s in (cv_s, held_s)
        ]
        lines += [
            f"Flagged spans that overlap the annotated words: {overlap[0]} (CV), "
            f"{overlap[1]} (held-out).",
            "",
            "### Where to set the avoid threshold (cross-validation; tips count as below it)",
            "",
            "| threshold | avoid micro-P | avoid micro-R | F1 |",
            "|---|---|---|---|",
            *sweep([r for r in train if r.lang == lang], cv),
            "",
        ]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:24]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
