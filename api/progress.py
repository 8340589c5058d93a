"""Progress from the app's conversation index: every role-play attempt with its date, score
and per-skill figures (type identified, feedback fit, avoid flags per reply), the flags that
keep coming back, first against latest per scenario, and a team view for coaches.

Chart geometry is computed here so the page draws plain SVG, with no script and no external
service."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from api.auth.accounts import Principal
from api.conversations import visible_conversations
from api.db.models import Conversation, User

CHART_WIDTH, CHART_HEIGHT, TOP_FLAGS = 600, 200, 8
SMALL_HEIGHT = 110
MAX_DATE_LABELS = 8


@dataclass(frozen=True)
class Attempt:
    at: datetime
    scenario: str | None
    score: int
    type_correct: bool | None  # None: the type was shown, nothing to identify
    feedback_fit: float | None  # share of replies whose feedback style suited the customer
    avoid_per_reply: float | None
    conversation_id: int


@dataclass(frozen=True)
class Chart:
    """One line chart: polyline points, dots, dated x labels and y ticks, in SVG units."""

    width: int
    height: int
    points: str
    dots: list[tuple[float, float, str]]  # x, y, the value as shown
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]


@dataclass
class Progress:
    trainee: str
    attempts: list[Attempt] = field(default_factory=list)
    flags: list[tuple[str, int]] = field(default_factory=list)
    practice_sessions: int = 0

    @property
    def first_score(self) -> int | None:
        return self.attempts[0].score if self.attempts else None

    @property
    def latest_score(self) -> int | None:
        return self.attempts[-1].score if self.attempts else None

    @property
    def guessed(self) -> list[bool]:
        return [a.type_correct for a in self.attempts if a.type_correct is not None]

    @property
    def guesses(self) -> int:
        return len(self.guessed)

    @property
    def correct(self) -> int:
        return sum(self.guessed)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.guesses if self.guesses else None

    def score_chart(self) -> Chart:
        return line_chart(
            [(a.at, float(a.score)) for a in self.attempts], 100, CHART_HEIGHT, "{:.0f}"
        )

    def skill_charts(self) -> dict[str, Chart]:
        """Per-skill trends over the attempts (an attempt without the figure leaves a gap)."""
        avoid = [a.avoid_per_reply for a in self.attempts if a.avoid_per_reply is not None]
        return {
            "skill_type": self._share_chart(
                [None if a.type_correct is None else float(a.type_correct) for a in self.attempts]
            ),
            "skill_feedback": self._share_chart([a.feedback_fit for a in self.attempts]),
            "skill_avoid": line_chart(
                [(a.at, a.avoid_per_reply) for a in self.attempts],
                max([2.0, *avoid]),
                SMALL_HEIGHT,
                "{:.1f}",
            ),
        }

    def _share_chart(self, shares: list[float | None]) -> Chart:
        """A 0–100 % trend, one point per attempt (None leaves a gap)."""
        points = [
            (a.at, None if share is None else 100.0 * share)
            for a, share in zip(self.attempts, shares, strict=True)
        ]
        return line_chart(points, 100, SMALL_HEIGHT, "{:.0f}%")

    def flag_bars(self) -> list[tuple[str, int, float]]:
        """(code, count, bar width) for the most frequent flags."""
        most = max((count for _, count in self.flags), default=1)
        return [(code, count, CHART_WIDTH * 0.55 * count / most) for code, count in self.flags]

    def by_scenario(self) -> list[tuple[str, int, int, int]]:
        """(scenario, attempts, first score, latest score), in the order first practised."""
        found: dict[str, list[int]] = {}
        for attempt in self.attempts:
            if attempt.scenario:
                found.setdefault(attempt.scenario, []).append(attempt.score)
        return [(name, len(scores), scores[0], scores[-1]) for name, scores in found.items()]


def line_chart(
    values: Sequence[tuple[datetime, float | None]], y_max: float, height: int, shown: str
) -> Chart:
    """Attempts left to right (dated), values bottom to top from 0 to `y_max`."""
    step = CHART_WIDTH / max(len(values) - 1, 1)
    spots = [
        (index * step, height - value * height / y_max, shown.format(value))
        for index, (_, value) in enumerate(values)
        if value is not None
    ]
    every = max(1, -(-len(values) // MAX_DATE_LABELS))
    x_labels = [
        (index * step, f"{at:%m-%d}")
        for index, (at, _) in enumerate(values)
        if index % every == 0 or index == len(values) - 1
    ]
    ticks = [0.0, y_max / 2, y_max]
    y_ticks = [(height - tick * height / y_max, shown.format(tick)) for tick in ticks]
    return Chart(
        CHART_WIDTH,
        height,
        " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in spots),
        spots,
        x_labels,
        y_ticks,
    )


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
    return _progress(user.name, list(conversations)) if conversations else None


def team_progress(session: Session, principal: Principal) -> list[Progress]:
    """Every trainee the principal may see, side by side (one query for all)."""
    conversations = session.scalars(
        visible_conversations(principal)
        .join(User, Conversation.user_id == User.id)
        .where(User.role == "trainee")
        .options(selectinload(Conversation.user))
        .order_by(Conversation.last_activity_at, Conversation.id)
    ).all()
    by_owner: dict[str, list[Conversation]] = {}
    for conversation in conversations:
        by_owner.setdefault(conversation.user.name, []).append(conversation)
    return [_progress(name, owned) for name, owned in sorted(by_owner.items())]


def _progress(trainee: str, conversations: list[Conversation]) -> Progress:
    progress = Progress(trainee=trainee)
    totals: dict[str, int] = {}
    for conversation in conversations:
        for code, count in (conversation.flag_counts or {}).items():
            totals[code] = totals.get(code, 0) + count
        if conversation.mode == "practice":
            progress.practice_sessions += 1
        progress.attempts += _attempts(conversation)
    progress.attempts.sort(key=lambda attempt: attempt.at)
    progress.flags = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:TOP_FLAGS]
    return progress


def _attempts(conversation: Conversation) -> list[Attempt]:
    """The conversation's attempts; rows from before attempts were kept give their last one."""
    stored = conversation.attempts or []
    if not stored and conversation.score is not None:
        card = conversation.scorecard or {}
        guess = card.get("type_identified") or {}
        correct = (
            bool(guess.get("correct")) if isinstance(guess, dict) and guess.get("guess") else None
        )
        return [
            Attempt(
                _aware(conversation.last_activity_at),
                conversation.scenario,
                conversation.score,
                correct,
                None,
                None,
                conversation.id,
            )
        ]
    return [
        Attempt(
            datetime.fromisoformat(item["at"]),
            item.get("scenario"),
            int(item.get("score") or 0),
            item.get("type_correct"),
            item.get("feedback_fit"),
            item.get("avoid_per_reply"),
            conversation.id,
        )
        for item in stored
        if item.get("score") is not None
    ]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
