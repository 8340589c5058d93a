"""`make eval`: 5-fold cross-validation of the NLU pipeline against alternatives.

For each pipeline, `rasa test nlu --cross-validation` predicts every example once while it
is held out. From those predictions this script computes macro-F1 per language and per
customer type, a confusion-matrix picture, the `undetermined` threshold analysis and a
simulated conversation-level accuracy, and writes docs/nlu-report.md.

    .venv-rasa/bin/python eval/run.py [--folds 5] [--skip-alternatives]
"""

import argparse
import os
import random
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.customer_reading import (
    TYPE_BY_INTENT,
    TYPES,
    LineScores,
    read_conversation,
)
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

PIPELINES = [
    (
        "current",
        ROOT / "config.yml",
        "config.yml: spaCy+jieba tokens, word 1-2 and char 1-4 counts, DIET",
    ),
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
THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
LINES_PER_CONVERSATION = 3


def cross_validate(name: str, config: Path, folds: int) -> tuple[list[Prediction], float]:
    out = RESULTS / name
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONWARNINGS": "ignore",
    }
    started = time.monotonic()
    with (RESULTS / f"{name}.log").open("w") as log:
        subprocess.run(
            [
                str(ROOT / ".venv-rasa" / "bin" / "rasa"),
                "test",
                "nlu",
                "--nlu",
                "data/nlu",
                "--config",
                str(config),
                "--cross-validation",
                "--folds",
                str(folds),
                "--out",
                str(out),
                "--successes",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return load_predictions(out), time.monotonic() - started


def approximate_scores(prediction: Prediction) -> LineScores:
    """A line's four-type scores rebuilt from its top-1 prediction (CV keeps only that)."""
    top = TYPE_BY_INTENT.get(prediction.predicted)
    if top is None:
        spread: dict[str, float] = dict.fromkeys(TYPES, 0.25)
        return LineScores(spread, style_mass=max(0.0, 1 - prediction.confidence))
    rest = (1 - prediction.confidence) / (len(TYPES) - 1)
    scores: dict[str, float] = {t: prediction.confidence if t == top else rest for t in TYPES}
    return LineScores(scores, style_mass=1.0)


def conversation_accuracy(predictions: list[Prediction], lang: str) -> tuple[float, int]:
    """Held-out lines of one type grouped into conversations of three, read together."""
    rng = random.Random(7)
    correct = total = 0
    for intent in CUSTOMER_INTENTS:
        rows = [p for p in customer_rows(predictions, lang) if p.target == intent]
        rng.shuffle(rows)
        for start in range(0, len(rows) - LINES_PER_CONVERSATION + 1, LINES_PER_CONVERSATION):
            group = rows[start : start + LINES_PER_CONVERSATION]
            reading = read_conversation([approximate_scores(p) for p in group])
            correct += reading.customer_type == TYPE_BY_INTENT[intent]
            total += 1
    return (correct / total if total else 0.0), total


def threshold_table(predictions: list[Prediction]) -> list[tuple[float, float, float]]:
    """(threshold, share of lines answered, accuracy of those answers) on customer lines."""
    rows = customer_rows(predictions)
    table = []
    for threshold in THRESHOLDS:
        answered = [
            p for p in rows if p.predicted in CUSTOMER_INTENTS and p.confidence >= threshold
        ]
        accuracy = (
            sum(p.predicted == p.target for p in answered) / len(answered) if answered else 0.0
        )
        table.append((threshold, len(answered) / len(rows), accuracy))
    return table


def plot_confusion(predictions: list[Prediction], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columns = [*CUSTOMER_INTENTS, "other"]
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.8))
    for axis, lang in zip(axes, ("zh", "en"), strict=True):
        table = confusion(predictions, lang)
        matrix = [
            [table[target].get(column, 0) for column in columns] for target in CUSTOMER_INTENTS
        ]
        axis.imshow(matrix, cmap="Blues")
        for i, row in enumerate(matrix):
            for j, value in enumerate(row):
                axis.text(
                    j,
                    i,
                    str(value),
                    ha="center",
                    va="center",
                    color="white" if value > max(map(max, matrix)) / 2 else "black",
                )
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-alternatives", action="store_true")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    runs = {}
    for name, config, label in PIPELINES if not args.skip_alternatives else PIPELINES[:1]:
        print(f"cross-validating {name} ({label}) ...", flush=True)
        runs[name] = (label, *cross_validate(name, config, args.folds))
    current = runs["current"][1]
    plot_confusion(current, DOCS / "nlu-confusion.png")
    write_report(runs, args.folds)
    print((DOCS / "nlu-report.md").read_text(encoding="utf-8"))


def model_hash() -> str:
    script = ROOT / "scripts" / "model_hash.sh"
    return subprocess.run([str(script)], check=True, capture_output=True, text=True).stdout.strip()


def write_report(runs: dict[str, tuple[str, list[Prediction], float]], folds: int) -> None:
    current = runs["current"][1]
    lines = [
        "# NLU report: customer-type classification",
        "",
        "Written by `eval/run.py` (`make eval`); do not edit by hand.",
        "",
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Method: `rasa test nlu --cross-validation "
        f"--folds {folds}` over all of `data/nlu/`; every example is predicted once by a model "
        "that did not see it. Language per example from `bot.language`. A customer line "
        "predicted as any other intent (neutral, chit-chat, fallback) counts as wrong. "
        f"Model inputs hash (`scripts/model_hash.sh`): `{model_hash()}`; if it differs from "
        "the current one, this report is out of date.",
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
                for lang in ("zh", "en")
                for t, f in f1_by_intent(customer_rows(predictions, lang), CUSTOMER_INTENTS).items()
            ),
            key=lambda row: row[2],
        )
        zh, en = macro_f1(predictions, "zh"), macro_f1(predictions, "en")
        weak_type = weakest[1].removeprefix("customer_")
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
    by_lang = {
        lang: f1_by_intent(customer_rows(current, lang), CUSTOMER_INTENTS) for lang in ("zh", "en")
    }
    for intent in CUSTOMER_INTENTS:
        counts = [
            sum(1 for p in customer_rows(current, lang) if p.target == intent)
            for lang in ("zh", "en")
        ]
        f1_zh, f1_en = by_lang["zh"][intent], by_lang["en"][intent]
        lines.append(
            f"| {intent.removeprefix('customer_')} | {f1_zh:.3f} | {f1_en:.3f} "
            f"| {counts[0]} | {counts[1]} |"
        )
    lines += [
        "",
        "![confusion matrix](nlu-confusion.png)",
        "",
        "## Choosing the `undetermined` threshold",
        "",
        "Share of customer lines that get a type when readings below the threshold are reported "
        "as `undetermined`, and how often that type is right (held-out predictions):",
        "",
        "| Threshold | answered | accuracy of answers |",
        "|---|---|---|",
    ]
    for threshold, answered, accuracy in threshold_table(current):
        lines.append(f"| {threshold:.2f} | {answered:.1%} | {accuracy:.1%} |")
    conversation = {lang: conversation_accuracy(current, lang) for lang in ("zh", "en")}
    lines += [
        "",
        "## Conversation level",
        "",
        f"Held-out lines of one type, grouped {LINES_PER_CONVERSATION} at a time and combined "
        "with `bot.customer_reading.read_conversation` (the line scores are rebuilt from each "
        "line's top prediction, since cross-validation keeps only that):",
        "",
        *(
            f"- {lang}: {accuracy:.1%} of {count} conversations read correctly"
            for lang, (accuracy, count) in conversation.items()
        ),
        "",
    ]
    (DOCS / "nlu-report.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
