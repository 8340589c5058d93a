"""Corrected customer lines, and their export as Rasa NLU training data."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Relabel
from bot.coaching_codes import TYPE_CODES
from bot.training_export import clean_line, nlu_yaml


def record_relabels(session: Session, relabels: list[Relabel]) -> None:
    """Store corrections, each line cleaned the way the export writes it (so what a coach
    sees saved is what Rasa will read)."""
    for relabel in relabels:
        if relabel.label not in TYPE_CODES:
            raise ValueError(f"unknown customer type {relabel.label!r}")
        relabel.text = clean_line(relabel.text)
        if not relabel.text:
            raise ValueError("the line has no words left to learn from")  # never: a read line
    session.add_all(relabels)


def relabels_of(session: Session, conversation_id: str) -> list[Relabel]:
    """One conversation's corrections, oldest first."""
    return list(
        session.scalars(
            select(Relabel)
            .where(Relabel.conversation_id == conversation_id)
            .order_by(Relabel.created_at, Relabel.id)
        )
    )


def all_relabels(session: Session) -> list[Relabel]:
    return list(session.scalars(select(Relabel).order_by(Relabel.created_at.desc(), Relabel.id)))


def relabels_as_nlu_yaml(session: Session) -> str:
    """Every relabelled line under its `customer_*` intent, ready to drop into data/nlu/.

    The latest correction of a text wins; each text appears once.
    """
    latest: dict[str, str] = {}
    for relabel in session.scalars(select(Relabel).order_by(Relabel.created_at, Relabel.id)):
        latest[clean_line(relabel.text)] = relabel.label
    return nlu_yaml(latest)
