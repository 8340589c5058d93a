"""Corrected customer lines, and their export as Rasa NLU training data."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Relabel
from bot.coaching_codes import TYPE_CODES


def record_relabels(session: Session, relabels: list[Relabel]) -> None:
    for relabel in relabels:
        if relabel.label not in TYPE_CODES:
            raise ValueError(f"unknown customer type {relabel.label!r}")
    session.add_all(relabels)


def relabels_as_nlu_yaml(session: Session) -> str:
    """Every relabelled line under its `customer_*` intent, ready to drop into data/nlu/.

    The latest correction of a text wins; each text appears once.
    """
    latest: dict[str, str] = {}
    for relabel in session.scalars(select(Relabel).order_by(Relabel.created_at, Relabel.id)):
        latest[" ".join(relabel.text.split())] = relabel.label
    lines = ['version: "3.1"', "", "nlu:"]
    for customer_type in TYPE_CODES:
        texts = [text for text, label in latest.items() if label == customer_type]
        if texts:
            lines += [f"  - intent: customer_{customer_type}", "    examples: |"]
            lines += [f"      - {text}" for text in texts]
    if len(lines) == 3:
        lines[-1] = "nlu: []"
    return "\n".join(lines) + "\n"
