"""One trainee's progress, from the app's conversation index: scores over time, which flags
keep coming back, and how often the trainee identified the hidden type. Chart geometry is
computed here so the page can draw plain SVG without any script or external service."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.auth.accounts import Principal
from api.conversations import visible_conversations
from api.db.models import Conversation, User

CHART_WIDTH, CHART_HEIGHT, TOP_FLAGS = 600, 200, 8


@dataclass
class Progress:
    trainee: str
    scores: list[tuple[datetime, int]] = field(default_factory=list)
    flags: list[tuple[str, int]] = field(default_factory=list)
    guesses: int = 0
    correct: int = 0
    practice_sessions: int = 0

    @property
    def first_score(self) -> int | None:
        return self.scores[0][1] if self.scores else None

    @property
    def latest_score(self) -> int | None:
        return self.scores[-1][1] if self.scores else None

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.guesses if self.guesses else None

    def score_points(self) -> str:
        """Polyline points: sessions left to right, score 0–100 bottom to top."""
        count = len(self.scores)
        step = CHART_WIDTH / max(count - 1, 1)
        return " ".join(
            f"{index * step:.1f},{CHART_HEIGHT - score * CHART_HEIGHT / 100:.1f}"
            for index, (_, score) in enumerate(self.scores)
        )

    def flag_bars(self) -> list[tuple[str, int, float]]:
        """(code, count, bar width) for the most frequent flags."""
        most = max((count for _, count in self.flags), default=1)
        return [(code, count, CHART_WIDTH * 0.7 * count / most) for code, count in self.flags]


def trainees_visible(session: Session, principal: Principal) -> list[str]:
    owners = visible_conversations(principal).with_only_columns(Conversation.user_id).distinct()
    return list(session.scalars(select(User.name).where(User.id.in_(owners)).order_by(User.name)))


def progress_of(session: Session, principal: Principal, trainee: str) -> Progress | None:
    """None when the principal may not see this trainee's conversations (or there are none)."""
    user = session.scalar(select(User).where(func.lower(User.name) == trainee.strip().lower()))
    if user is None:
        return None
    conversations = session.scalars(
        visible_conversations(principal)
        .where(Conversation.user_id == user.id)
        .order_by(Conversation.last_activity_at, Conversation.id)
    ).all()
    if not conversations:
        return None
    progress = Progress(trainee=user.name)
    totals: dict[str, int] = {}
    for conversation in conversations:
        for code, count in (conversation.flag_counts or {}).items():
            totals[code] = totals.get(code, 0) + count
        if conversation.mode == "practice":
            progress.practice_sessions += 1
        if conversation.score is not None:
            progress.scores.append((conversation.last_activity_at, conversation.score))
        guess = (conversation.scorecard or {}).get("type_identified") or {}
        if isinstance(guess, dict) and guess.get("guess"):
            progress.guesses += 1
            progress.correct += bool(guess.get("correct"))
    progress.flags = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:TOP_FLAGS]
    return progress
