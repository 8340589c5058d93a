"""The trained reply model: how likely each judgement is for one reply.

Linear heads over the features of bot/reply_features.py, trained on replies/train by
scripts/train_reply_model.py and stored as `models/reply-<hash>.npz`, the hash taken over
everything training reads. Both Python environments load the same file with numpy alone, so
the action server and the API give one analysis for one reply.

Two parts:
- reply heads read the whole reply: the feedback style (fact / feeling / summary / none, one
  of four) and a yes/no head per good move (`good:…`) and complaint-handling step (`step:…`);
- clause heads read each clause with its neighbours: a yes/no head per phrase to avoid
  (`avoid:…`) and style mismatch (`style:…`, learned only from replies to that customer
  type). A reply shows a problem as much as its most problematic clause does, and that
  clause is where the problem is shown.
"""

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bot.coaching_codes import GENERAL_AVOID_CODES, STYLE_MISMATCH_CODES
from bot.language import Lang
from bot.reply_corpus import FEEDBACK, LISTED_GOOD, STEPS, part_files
from bot.reply_features import clause_features, reply_features

Array = NDArray[Any]
ROOT = Path(__file__).resolve().parent.parent
STYLE_OWNER = {code: owner for owner, codes in STYLE_MISMATCH_CODES.items() for code in codes}
REPLY_HEADS = (*(f"good:{code}" for code in LISTED_GOOD), *(f"step:{step}" for step in STEPS))
FEEDBACK_HEADS = tuple(f"feedback:{style}" for style in FEEDBACK)
CLAUSE_HEADS = (
    *(f"avoid:{code}" for code in GENERAL_AVOID_CODES),
    *(f"style:{code}" for code in STYLE_OWNER),
)
# Everything training reads, besides the corpus: change one and the model is trained again.
TRAINING_INPUTS = (
    "bot/reply_features.py",
    "bot/reply_model.py",
    "bot/cue_matcher.py",
    "bot/time_expressions.py",
    "bot/knowledge/reply_cues.yml",
    "bot/knowledge/reply_lexicon.yml",
    "scripts/train_reply_model.py",
    "requirements/rasa.txt",
)


class ModelMissing(RuntimeError):
    """No trained reply model for the current inputs: `make train` trains it."""


@dataclass(frozen=True)
class LinearHeads:
    """Weights of several heads over one vocabulary of features."""

    vocabulary: Mapping[str, int]
    weights: Array  # features x heads
    bias: Array  # heads

    def scores(self, features: Mapping[str, float]) -> Array:
        total = self.bias.astype(np.float64).copy()
        for name, value in features.items():
            row = self.vocabulary.get(name)
            if row is not None:
                total += value * self.weights[row]
        return total


@dataclass(frozen=True)
class ReplyPrediction:
    heads: dict[str, float]  # each reply head's probability
    feedback: dict[str, float]  # fact / feeling / summary / none, summing to 1
    clauses: list[tuple[int, int]]  # character spans of the reply's clauses
    clause_heads: dict[str, list[float]]  # each clause head's probability, clause by clause

    def clause_probability(self, head: str) -> float:
        return max(self.clause_heads[head])


@dataclass(frozen=True)
class ReplyModel:
    reply: LinearHeads  # REPLY_HEADS then FEEDBACK_HEADS
    clause: LinearHeads  # CLAUSE_HEADS
    inputs_hash: str

    def predict(self, reply: str, customer_line: str | None, lang: Lang) -> ReplyPrediction:
        scores = self.reply.scores(reply_features(reply, customer_line, lang))
        count = len(REPLY_HEADS)
        yes = _sigmoid(scores[:count])
        styles = np.exp(scores[count:] - scores[count:].max())
        styles /= styles.sum()
        clauses = clause_features(reply, customer_line, lang)
        per_clause = np.array([_sigmoid(self.clause.scores(c.features)) for c in clauses])
        return ReplyPrediction(
            heads={head: float(p) for head, p in zip(REPLY_HEADS, yes, strict=True)},
            feedback={
                head.removeprefix("feedback:"): float(p)
                for head, p in zip(FEEDBACK_HEADS, styles, strict=True)
            },
            clauses=[(c.start, c.end) for c in clauses],
            clause_heads={
                head: [float(p) for p in per_clause[:, column]]
                for column, head in enumerate(CLAUSE_HEADS)
            },
        )

    def save(self, path: Path) -> None:
        arrays: dict[str, Array] = {}
        for part, heads in (("reply", self.reply), ("clause", self.clause)):
            names = sorted(heads.vocabulary, key=heads.vocabulary.__getitem__)
            arrays[f"{part}_vocabulary"] = np.array(names, dtype=str)
            arrays[f"{part}_weights"] = heads.weights.astype(np.float32)
            arrays[f"{part}_bias"] = heads.bias.astype(np.float32)
        meta = {
            "inputs_hash": self.inputs_hash,
            "heads": [*REPLY_HEADS, *FEEDBACK_HEADS, *CLAUSE_HEADS],
        }
        arrays["meta"] = np.array(json.dumps(meta))
        write: Callable[..., None] = np.savez_compressed  # numpy's stubs mistype **arrays
        write(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> "ReplyModel":
        with np.load(path, allow_pickle=False) as stored:
            meta = json.loads(str(stored["meta"]))
            if meta["heads"] != [*REPLY_HEADS, *FEEDBACK_HEADS, *CLAUSE_HEADS]:
                raise ModelMissing(f"{path} has other heads than this code; run `make train`")
            parts = {
                part: LinearHeads(
                    vocabulary={
                        str(name): index for index, name in enumerate(stored[f"{part}_vocabulary"])
                    },
                    weights=stored[f"{part}_weights"],
                    bias=stored[f"{part}_bias"],
                )
                for part in ("reply", "clause")
            }
        return cls(parts["reply"], parts["clause"], meta["inputs_hash"])


def inputs_hash(root: Path = ROOT) -> str:
    """Names the model: the training corpus and every file training reads."""
    digest = hashlib.sha256()
    files = [root / name for name in TRAINING_INPUTS] + part_files("train", root / "replies")
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def model_path(root: Path = ROOT) -> Path:
    return root / "models" / f"reply-{inputs_hash(root)}.npz"


@lru_cache(maxsize=1)
def reply_model() -> ReplyModel:
    """The model for the current inputs, loaded once per process; COACH_REPLY_MODEL names
    another trained file to serve instead (to pin a model while the corpus changes)."""
    pinned = os.environ.get("COACH_REPLY_MODEL")
    path = Path(pinned) if pinned else model_path()
    if not path.exists():
        raise ModelMissing(
            f"no reply model for the current inputs ({path.name}); `make train` trains it"
        )
    return ReplyModel.load(path)


def _sigmoid(values: Array) -> Array:
    result: Array = 1 / (1 + np.exp(-values))
    return result
