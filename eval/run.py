"""`make eval`: the customer-type model measured → docs/nlu-report.md (and two pictures).

- 5-fold cross-validation of config.yml with every held-out line's whole intent ranking
  (eval/cross_validation.py): macro-F1 per language and type, the confusion matrix, the
  calibration of the reading's confidence (temperature, expected calibration error and a
  reliability diagram), the `undetermined` threshold, conversation-level readings, and how
  much a neutral line moves a typed conversation;
- the alternatives in eval/configs/, by `rasa test nlu --cross-validation`, for macro-F1;
- the held-out customer lines (eval/heldout/customer_lines.yml, written apart from the
  training data) read by the trained model for the current inputs.

    .venv-rasa/bin/python -m eval.run [--folds 5] [--skip-alternatives]
"""

import argparse
import json
import os
import random
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.customer_reading import (
    MIN_STYLE_EVIDENCE,
    TEMPERATURE,
    TYPE_BY_INTENT,
    UNDETERMINED_BELOW,
    LineScores,
    line_scores,
    read_conversation,
)
from eval.cross_validation import Ranked, cross_validate, load_model_rankings
from eval.metrics import (
    CUSTOMER_INTENTS,
    Prediction,
    confusion,
    customer_rows,
    f1_by_intent,
    load_predictions,
    macro_f1,
)

ROOT = Path(__file__).resolve().parent.parent
ALTERNATIVES = [
    (
        "logreg",
        ROOT / "eval" / "configs" / "logreg.yml",
        "same features, LogisticRegressionClassifier",
    ),
    (
        "diet_transformer",
        ROOT / "eval" / "configs" / "diet_transformer.yml",
        "same features, DIET with one transformer layer",
    ),
]
RESULTS = ROOT / "results" / "eval"
DOCS = ROOT / "docs"
HELDOUT = ROOT / "eval" / "heldout" / "customer_lines.yml"
THRESHOLDS = [0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8]
TEMPERATURES = [1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0, 3.5, 4.0]
BINS = 10
LINES_PER_CONVERSATION = 3
LANGS = ("zh", "en")


def as_predictions(ranked: Sequence[Ranked]) -> list[Prediction]:
    return [Prediction(r.text, r.target, r.predicted, r.confidence, r.lang) for r in ranked]


def rasa_cross_validate(name: str, config: Path, folds: int) -> tuple[list[Prediction], float]:
    out = RESULTS / name
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    started = time.monotonic()
    with (RESULTS / f"{name}.log").open("w") as log:
        subprocess.run(
            [str(ROOT / ".venv-rasa" / "bin" / "rasa"), "test", "nlu", "--nlu", "data/nlu",
             "--config", str(config), "--cross-validation", "--folds", str(folds),
             "--out", str(out), "--successes"],
            cwd=ROOT, env={**env, "PYTHONWARNINGS": "ignore"}, check=True,
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return load_predictions(out), time.monotonic() - started


@dataclass(frozen=True)
class Calibration:
    temperature: float
    ece: dict[str, float]  # per language
    bins: dict[str, list[tuple[float, float, int]]]  # (mean confidence, accuracy, count)


def typed(ranked: Sequence[Ranked], lang: str) -> list[Ranked]:
    return [r for r in ranked if r.lang == lang and r.target in CUSTOMER_INTENTS]


def calibration(ranked: Sequence[Ranked], temperature: float) -> Calibration:
    """How well a single line's calibrated top score matches how often it is right."""
    ece: dict[str, float] = {}
    bins: dict[str, list[tuple[float, float, int]]] = {}
    for lang in LANGS:
        rows = []
        for r in typed(ranked, lang):
            scores = line_scores(r.ranking, temperature).scores
            top = max(scores, key=scores.__getitem__)
            rows.append((scores[top], top == TYPE_BY_INTENT[r.target]))
        table = []
        error = 0.0
        for b in range(BINS):
            low, high = b / BINS, (b + 1) / BINS
            members = [
                row for row in rows if low <= row[0] < high or (b == BINS - 1 and row[0] == 1)
            ]
            if not members:
                continue
            confidence = sum(c for c, _ in members) / len(members)
            accuracy = sum(ok for _, ok in members) / len(members)
            table.append((confidence, accuracy, len(members)))
            error += len(members) / len(rows) * abs(confidence - accuracy)
        ece[lang], bins[lang] = error, table
    return Calibration(temperature, ece, bins)


def choose_temperature(ranked: Sequence[Ranked]) -> list[Calibration]:
    return [calibration(ranked, t) for t in TEMPERATURES]


def threshold_table(
    ranked: Sequence[Ranked], temperature: float
) -> list[tuple[float, float, float, float]]:
    """(threshold, typed lines answered, accuracy of those, neutral lines left undetermined)."""
    rows = [r for r in ranked if r.target in CUSTOMER_INTENTS]
    neutral = [r for r in ranked if r.target == "customer_neutral"]
    table = []
    for threshold in THRESHOLDS:
        answered = correct = 0
        for r in rows:
            line = line_scores(r.ranking, temperature)
            top = max(line.scores, key=line.scores.__getitem__)
            if line.style_mass >= MIN_STYLE_EVIDENCE and line.scores[top] >= threshold:
                answered += 1
                correct += top == TYPE_BY_INTENT[r.target]
        quiet = sum(
            not _determined(line_scores(r.ranking, temperature), threshold) for r in neutral
        )
        table.append(
            (
                threshold,
                answered / len(rows),
                correct / answered if answered else 0.0,
                quiet / max(1, len(neutral)),
            )
        )
    return table


def _determined(line: LineScores, threshold: float) -> bool:
    return line.style_mass >= MIN_STYLE_EVIDENCE and max(line.scores.values()) >= threshold


def conversations(ranked: Sequence[Ranked], lang: str) -> tuple[float, int]:
    """Held-out lines of one type, three to a conversation, read together (real scores)."""
    rng = random.Random(7)
    correct = total = 0
    for intent in CUSTOMER_INTENTS:
        rows = [r for r in typed(ranked, lang) if r.target == intent]
        rng.shuffle(rows)
        for start in range(0, len(rows) - LINES_PER_CONVERSATION + 1, LINES_PER_CONVERSATION):
            group = rows[start : start + LINES_PER_CONVERSATION]
            reading = read_conversation([line_scores(r.ranking) for r in group])
            correct += reading.customer_type == TYPE_BY_INTENT[intent]
            total += 1
    return (correct / total if total else 0.0), total


Rows = Sequence[list[dict[str, Any]]]


def neutral_moves(typed_rows: Rows, neutral_rows: Rows) -> list[float]:
    """How much appending one neutral line changes a two-line typed conversation's confidence."""
    rng = random.Random(11)
    moves = []
    for index in range(0, len(typed_rows) - 1, 2):
        base = [line_scores(typed_rows[index]), line_scores(typed_rows[index + 1])]
        neutral = line_scores(rng.choice(list(neutral_rows)))
        before = read_conversation(base)
        after = read_conversation([*base, neutral])
        moves.append(abs(after.confidence - before.confidence))
    return moves


def heldout(model: Path) -> dict[str, dict[str, float]]:
    lines = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["lines"]
    rankings = load_model_rankings(model, [line["text"] for line in lines])
    found: dict[str, dict[str, float]] = {}
    for lang in LANGS:
        rows = [
            (line, ranking)
            for line, ranking in zip(lines, rankings, strict=True)
            if line["lang"] == lang
        ]
        typed_rows = [(line, r) for line, r in rows if line["label"] != "neutral"]
        preds = [
            Prediction(
                line["text"],
                f"customer_{line['label']}",
                str(r[0]["name"]) if r else "",
                float(r[0]["confidence"]) if r else 0.0,
                lang,
            )
            for line, r in typed_rows
        ]
        neutral = [r for line, r in rows if line["label"] == "neutral"]
        quiet = sum(
            read_conversation([line_scores(r)]).customer_type == "undetermined" for r in neutral
        )
        same_type: dict[str, list[list[dict[str, Any]]]] = {}
        for line, r in typed_rows:
            same_type.setdefault(line["label"], []).append(r)
        moves = [m for group in same_type.values() for m in neutral_moves(group, neutral)]
        found[lang] = {
            "macro_f1": macro_f1(preds, lang),
            "typed": len(preds),
            "neutral_undetermined": quiet / max(1, len(neutral)),
            "neutral": len(neutral),
            "move_max": max(moves) if moves else 0.0,
            "move_small": sum(m < 0.05 for m in moves) / max(1, len(moves)),
        }
    return found


def plot_reliability(chosen: Calibration, raw: Calibration, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 2, figsize=(10, 4.6))
    for axis, lang in zip(axes, LANGS, strict=True):
        axis.plot([0, 1], [0, 1], color="#9aa5b1", linestyle="--", label="perfect")
        curves = [
            (raw, "o-", f"T = 1 (raw), ECE {raw.ece[lang]:.3f}"),
            (chosen, "s-", f"T = {chosen.temperature}, ECE {chosen.ece[lang]:.3f}"),
        ]
        for calib, style, label in curves:
            xs = [c for c, _, _ in calib.bins[lang]]
            ys = [a for _, a, _ in calib.bins[lang]]
            axis.plot(xs, ys, style, label=label)
        axis.set_xlim(0, 1)
        axis.set_ylim(0, 1)
        axis.set_xlabel("reported confidence (top type)")
        axis.set_ylabel("share right")
        axis.set_title({"zh": "Chinese", "en": "English"}[lang])
        axis.legend(loc="lower right", fontsize=8)
    figure.suptitle("Reliability of the customer-type confidence, 5-fold cross-validation")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def plot_confusion(predictions: list[Prediction], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columns = [*CUSTOMER_INTENTS, "other"]
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.8))
    for axis, lang in zip(axes, LANGS, strict=True):
        table = confusion(predictions, lang)
        matrix = [
            [table[target].get(column, 0) for column in columns] for target in CUSTOMER_INTENTS
        ]
        axis.imshow(matrix, cmap="Blues")
        peak = max(map(max, matrix)) or 1
        for i, row in enumerate(matrix):
            for j, value in enumerate(row):
                axis.text(j, i, str(value), ha="center", va="center",
                          color="white" if value > peak / 2 else "black")  # fmt: skip
        axis.set_xticks(
            range(len(columns)), [c.removeprefix("customer_") for c in columns], rotation=30
        )
        axis.set_yticks(
            range(len(CUSTOMER_INTENTS)), [c.removeprefix("customer_") for c in CUSTOMER_INTENTS]
        )
        axis.set_xlabel("predicted")
        axis.set_ylabel("true type")
        axis.set_title({"zh": "Chinese", "en": "English"}[lang])
    figure.suptitle("Customer type, 5-fold cross-validation (held-out predictions)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def model_hash() -> str:
    script = ROOT / "scripts" / "model_hash.sh"
    return subprocess.run([str(script)], check=True, capture_output=True, text=True).stdout.strip()


def trained_model() -> Path:
    path = subprocess.run(
        [str(ROOT / "scripts" / "train.sh")], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    return ROOT / path


def cached_cross_validation(folds: int) -> tuple[list[Ranked], float]:
    """config.yml's cross-validated rankings, kept under results/ by the model inputs' hash so
    the report can be rewritten (another temperature, another threshold) without an hour of
    training."""
    cache = RESULTS / f"cv-{model_hash()}-{folds}folds.json"
    if cache.exists():
        saved = json.loads(cache.read_text(encoding="utf-8"))
        print(f"cross-validation rankings from {cache.relative_to(ROOT)}", flush=True)
        return [Ranked(**row) for row in saved["ranked"]], float(saved["seconds"])
    print("cross-validating config.yml (whole rankings) ...", flush=True)
    ranked, seconds = cross_validate(ROOT / "config.yml", folds)
    rows = [row.__dict__ for row in ranked]
    cache.write_text(json.dumps({"seconds": seconds, "ranked": rows}), encoding="utf-8")
    return ranked, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-alternatives", action="store_true")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    ranked, seconds = cached_cross_validation(args.folds)
    runs: dict[str, tuple[str, list[Prediction], float]] = {
        "current": (
            "config.yml: spaCy+jieba tokens, word 1-2 and char 1-4 counts, DIET",
            as_predictions(ranked),
            seconds,
        )
    }
    if not args.skip_alternatives:
        for name, config, label in ALTERNATIVES:
            print(f"cross-validating {name} ...", flush=True)
            runs[name] = (label, *rasa_cross_validate(name, config, args.folds))
    calibrations = choose_temperature(ranked)
    best = min(calibrations, key=lambda c: sum(c.ece.values()))
    raw = calibrations[0]
    shipped = calibration(ranked, TEMPERATURE)
    plot_confusion(runs["current"][1], DOCS / "nlu-confusion.png")
    plot_reliability(shipped, raw, DOCS / "nlu-reliability.png")
    held = heldout(trained_model())
    write_report(runs, args.folds, ranked, calibrations, best, shipped, held)
    print((DOCS / "nlu-report.md").read_text(encoding="utf-8"))


def write_report(
    runs: dict[str, tuple[str, list[Prediction], float]],
    folds: int,
    ranked: list[Ranked],
    calibrations: list[Calibration],
    best: Calibration,
    shipped: Calibration,
    held: dict[str, dict[str, float]],
) -> None:
    current = runs["current"][1]
    lines = [
        "# NLU report: customer-type classification",
        "",
        "Written by `eval/run.py` (`make eval`); do not edit by hand.",
        "",
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. {folds}-fold cross-validation over all of "
        "`data/nlu/` (stratified by intent); every example is predicted once by a model that did "
        "not see it, and its whole intent ranking is kept. A customer line predicted as any other "
        f"intent counts as wrong. Model inputs hash (`scripts/model_hash.sh`): `{model_hash()}`.",
        "",
        "## Pipelines compared",
        "",
        "| Pipeline | macro-F1 zh | macro-F1 en | weakest type (F1) | CV time |",
        "|---|---|---|---|---|",
    ]
    for name, (label, predictions, seconds) in runs.items():
        weakest = min(
            (
                (lang, t, f)
                for lang in LANGS
                for t, f in f1_by_intent(customer_rows(predictions, lang), CUSTOMER_INTENTS).items()
            ),
            key=lambda row: row[2],
        )
        weak_type = weakest[1].removeprefix("customer_")
        zh, en = macro_f1(predictions, "zh"), macro_f1(predictions, "en")
        lines.append(
            f"| {name}: {label} | {zh:.3f} | {en:.3f} "
            f"| {weak_type} ({weakest[0]}) {weakest[2]:.3f} | {seconds / 60:.1f} min |"
        )
    lines += [
        "",
        "## Current pipeline per type",
        "",
        "| Type | F1 zh | F1 en | examples zh | examples en |",
        "|---|---|---|---|---|",
    ]
    by_lang = {lang: f1_by_intent(customer_rows(current, lang), CUSTOMER_INTENTS) for lang in LANGS}
    for intent in CUSTOMER_INTENTS:
        counts = [
            sum(1 for p in customer_rows(current, lang) if p.target == intent) for lang in LANGS
        ]
        f1s = f"{by_lang['zh'][intent]:.3f} | {by_lang['en'][intent]:.3f}"
        lines.append(f"| {intent.removeprefix('customer_')} | {f1s} | {counts[0]} | {counts[1]} |")
    lines += [
        "",
        "![confusion matrix](nlu-confusion.png)",
        "",
        "## Calibration",
        "",
        "The reading's `confidence` is its top type score. The model's raw type probabilities are "
        "softened by a temperature T (`p ** (1/T)`, renormalised over the four types; "
        "`bot/customer_reading.py`). Expected calibration error (10 bins) of a single line's "
        "reading, on the held-out predictions:",
        "",
        "| T | ECE zh | ECE en |",
        "|---|---|---|",
        *[_ece_row(c, c is best) for c in calibrations],
        "",
        f"Shipped: T = {TEMPERATURE} (ECE zh {shipped.ece['zh']:.3f}, en {shipped.ece['en']:.3f}); "
        f"target ECE ≤ 0.05.",
        "",
        "![reliability diagram](nlu-reliability.png)",
        "",
        "## Choosing the `undetermined` threshold",
        "",
        f"On the calibrated scores (T = {TEMPERATURE}), a single line with at least "
        f"{MIN_STYLE_EVIDENCE} style evidence and its top score at or above the threshold gets "
        "a type:",
        "",
        "| Threshold | typed lines answered | accuracy of answers | neutral lines undetermined |",
        "|---|---|---|---|",
        *[_threshold_row(*row) for row in threshold_table(ranked, TEMPERATURE)],
        "",
        "## Conversation level",
        "",
        f"Held-out lines of one type, {LINES_PER_CONVERSATION} to a conversation, read together "
        "with `bot.customer_reading.read_conversation` on their real (calibrated) scores:",
        "",
    ]
    for lang in LANGS:
        accuracy, count = conversations(ranked, lang)
        lines.append(f"- {lang}: {accuracy:.1%} of {count} conversations read correctly")
    lines += [
        "",
        "## Held-out customer lines (written apart from the training data)",
        "",
        "`eval/heldout/customer_lines.yml`, read by the trained model for the current inputs. "
        "A neutral line is one with no style cue (an id, an acknowledgement, a bare fact, a plain "
        'question); "moves" is how much appending one such line changes the confidence of a '
        "two-line conversation of one type.",
        "",
        "| Language | typed lines | macro-F1 | neutral lines | neutral left undetermined "
        "| moves < 0.05 | largest move |",
        "|---|---|---|---|---|---|---|",
        *[_heldout_row(lang, h) for lang, h in held.items()],
        "",
        "Targets: cross-validated macro-F1 ≥ 0.93 per language (no type below 0.90), ECE ≤ 0.05; "
        "neutral lines ≥ 90 % undetermined; a neutral line moves confidence by < 0.05.",
        "",
    ]
    (DOCS / "nlu-report.md").write_text("\n".join(lines), encoding="utf-8")


def _ece_row(c: Calibration, lowest: bool) -> str:
    mark = " (lowest)" if lowest else ""
    return f"| {c.temperature}{mark} | {c.ece['zh']:.3f} | {c.ece['en']:.3f} |"


def _threshold_row(threshold: float, answered: float, accuracy: float, quiet: float) -> str:
    mark = " (shipped)" if threshold == UNDETERMINED_BELOW else ""
    return f"| {threshold:.2f}{mark} | {answered:.1%} | {accuracy:.1%} | {quiet:.1%} |"


def _heldout_row(lang: str, h: dict[str, float]) -> str:
    return (
        f"| {lang} | {h['typed']:.0f} | {h['macro_f1']:.3f} | {h['neutral']:.0f} "
        f"| {h['neutral_undetermined']:.1%} | {h['move_small']:.1%} | {h['move_max']:.3f} |"
    )


if __name__ == "__main__":
    main()
