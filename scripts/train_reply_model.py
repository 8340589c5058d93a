"""Train the reply model (bot/reply_model.py) on replies/train; runs in the Rasa environment,
which has scikit-learn. Writes models/reply-<hash>.npz unless it already exists; prints its path.

    .venv-rasa/bin/python -m scripts.train_reply_model [--force]

Every head is an L2-regularised logistic regression over sparse features, with the classes
weighted so a rare problem is not drowned by the many replies without it. Clause heads learn
from clauses: a clause shows a problem when it overlaps the annotated span. Style heads learn
only from replies to their own customer type ("terse" is a fault with a social customer and a
virtue with a power one). eval/replies.py cross-validates this same `fit`.
"""

import argparse
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from bot.reply_corpus import FEEDBACK, ReplyRecord, load_corpus
from bot.reply_features import Clause, clause_features, reply_features
from bot.reply_model import (
    CLAUSE_HEADS,
    REPLY_HEADS,
    STYLE_OWNER,
    Array,
    LinearHeads,
    ReplyModel,
    inputs_hash,
    model_path,
)

C = 30.0  # inverse regularisation strength, chosen on cross-validation (docs/reply-report.md)
# A rare problem's examples weigh more: by (negatives / positives) ** POSITIVE_BOOST.
POSITIVE_BOOST = 0.5
MIN_REPLIES = 2  # an n-gram seen in fewer training examples is left out


@dataclass(frozen=True)
class Features:
    """One record's features, computed once and reused across heads and folds."""

    record: ReplyRecord
    reply: dict[str, float]
    clauses: list[Clause]


def features_of(records: Sequence[ReplyRecord]) -> list[Features]:
    return [
        Features(
            record,
            reply_features(record.reply, record.customer, record.lang),
            clause_features(record.reply, record.customer, record.lang),
        )
        for record in records
    ]


def reply_target(record: ReplyRecord, head: str) -> bool:
    kind, code = head.split(":", 1)
    return code in (record.good if kind == "good" else record.steps)


def applies(record: ReplyRecord, head: str) -> bool:
    """A style head judges only replies to its own customer type."""
    kind, code = head.split(":", 1)
    return kind != "style" or record.customer_type == STYLE_OWNER[code]


def clause_target(record: ReplyRecord, head: str, start: int, end: int) -> bool:
    code = head.split(":", 1)[1]
    return any(item.code == code and item.start < end and item.end > start for item in record.avoid)


def fit(examples: Sequence[Features], c: float = C, tag: str = "") -> ReplyModel:
    return ReplyModel(
        reply=_fit_reply_heads(examples, c),
        clause=_fit_clause_heads(examples, c),
        inputs_hash=tag,
    )


def _fit_reply_heads(examples: Sequence[Features], c: float) -> LinearHeads:
    vocabulary = vocabulary_of([example.reply for example in examples])
    features = matrix([example.reply for example in examples], vocabulary)
    weights = np.zeros((len(vocabulary), len(REPLY_HEADS) + len(FEEDBACK)))
    bias = np.zeros(weights.shape[1])
    for column, head in enumerate(REPLY_HEADS):
        targets = np.array([reply_target(example.record, head) for example in examples])
        weights[:, column], bias[column] = _binary(features, targets, c)
    styles = [FEEDBACK.index(example.record.feedback) for example in examples]
    feedback = LogisticRegression(C=c, max_iter=3000, random_state=0, class_weight="balanced")
    feedback.fit(features, styles)
    offset = len(REPLY_HEADS)
    bias[offset:] = -10.0  # a style the training part never shows is never predicted
    for row, style in enumerate(feedback.classes_):
        weights[:, offset + int(style)] = feedback.coef_[row]
        bias[offset + int(style)] = feedback.intercept_[row]
    return LinearHeads(vocabulary, weights, bias)


def _fit_clause_heads(examples: Sequence[Features], c: float) -> LinearHeads:
    clauses = [(example.record, clause) for example in examples for clause in example.clauses]
    vocabulary = vocabulary_of([clause.features for _, clause in clauses])
    features = matrix([clause.features for _, clause in clauses], vocabulary)
    weights = np.zeros((len(vocabulary), len(CLAUSE_HEADS)))
    bias = np.zeros(len(CLAUSE_HEADS))
    for column, head in enumerate(CLAUSE_HEADS):
        used = [index for index, (record, _) in enumerate(clauses) if applies(record, head)]
        targets = np.array(
            [
                clause_target(
                    clauses[index][0], head, clauses[index][1].start, clauses[index][1].end
                )
                for index in used
            ]
        )
        weights[:, column], bias[column] = _binary(features[used], targets, c)
    return LinearHeads(vocabulary, weights, bias)


def _binary(features: csr_matrix, targets: Array, c: float) -> tuple[Array, float]:
    if targets.all() or not targets.any():  # nothing to learn: always or never
        return np.zeros(features.shape[1]), 10.0 if targets.all() else -10.0
    positives = int(targets.sum())
    boost = ((len(targets) - positives) / positives) ** POSITIVE_BOOST
    head = LogisticRegression(
        C=c,
        solver="liblinear",
        class_weight={True: boost, False: 1.0},
        max_iter=2000,
        random_state=0,
    )
    head.fit(features, targets)
    return head.coef_[0], float(head.intercept_[0])


def vocabulary_of(rows: Sequence[Mapping[str, float]]) -> dict[str, int]:
    seen: dict[str, int] = {}
    for row in rows:
        for name in row:
            seen[name] = seen.get(name, 0) + 1
    kept = sorted(
        name
        for name, count in seen.items()
        if count >= MIN_REPLIES or name.startswith(("m:", "cue:", "lex:"))
    )
    return {name: index for index, name in enumerate(kept)}


def matrix(rows: Sequence[Mapping[str, float]], vocabulary: Mapping[str, int]) -> csr_matrix:
    data, columns, pointers = [], [], [0]
    for row in rows:
        for name, value in row.items():
            column = vocabulary.get(name)
            if column is not None:
                columns.append(column)
                data.append(value)
        pointers.append(len(columns))
    return csr_matrix((data, columns, pointers), shape=(len(rows), len(vocabulary)))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--force", action="store_true", help="train even if the model exists")
    args = parser.parse_args()
    path = model_path()
    if path.exists() and not args.force:
        print(f"reply model up to date: {path}", file=sys.stderr)
    else:
        started = time.monotonic()
        print(f"training reply model {path.name} ...", file=sys.stderr)
        model = fit(features_of(load_corpus("train")), tag=inputs_hash())
        path.parent.mkdir(exist_ok=True)
        model.save(path)
        for old in path.parent.glob("reply-*.npz"):
            if old != path:
                old.unlink()
        print(f"trained in {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
