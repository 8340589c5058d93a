"""The coach's review: the inbox query, comments, tags and relabels on transcripts
(bot/transcript.py rebuilds them from Rasa's events) and exports. Pure functions over a
database Session."""

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from api.auth.accounts import Principal
from api.conversations import visible_conversations
from api.db.models import Comment, Conversation, ConversationTag, Relabel, Team, User
from api.db.relabels import record_relabels, relabels_of
from api.form_error import ReviewError
from bot.coaching_codes import TYPE_CODES
from bot.language import detect_language
from bot.training_export import clean_line
from bot.transcript import TranscriptEntry

PAGE_SIZE = 50
_WITH_OWNER = selectinload(Conversation.user).selectinload(User.team)  # no query per row
TRANSCRIPT_PAGE = 60
MAX_COMMENT = 2000
MAX_TAG = 32


@dataclass(frozen=True)
class InboxFilter:
    trainee: str | None = None
    team: str | None = None
    mode: str | None = None
    scenario: str | None = None
    customer_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    score_min: int | None = None
    score_max: int | None = None
    reviewed: bool | None = None
    tag: str | None = None


@dataclass
class InboxRow:
    id: int
    client_id: str
    trainee: str
    team: str | None
    mode: str
    scenario: str | None
    customer_type: str | None
    difficulty: str | None
    score: int | None
    reviewed: bool
    messages: int
    last_activity_at: datetime
    tags: list[str] = field(default_factory=list)
    unread: int = 0  # coaches' comments the trainee has not opened yet
    scores: list[int] = field(default_factory=list)  # every attempt's score, oldest first


def filtered(principal: Principal, wanted: InboxFilter) -> Select[Conversation]:
    query = visible_conversations(principal).join(User, Conversation.user_id == User.id)
    if wanted.trainee:
        query = query.where(func.lower(User.name) == wanted.trainee.strip().lower())
    if wanted.team:
        query = query.join(Team, User.team_id == Team.id).where(Team.name == wanted.team)
    if wanted.mode:
        query = query.where(Conversation.mode == wanted.mode)
    if wanted.scenario:
        query = query.where(Conversation.scenario == wanted.scenario)
    if wanted.customer_type:
        query = query.where(Conversation.customer_type == wanted.customer_type)
    if wanted.date_from:
        query = query.where(Conversation.last_activity_at >= _start_of(wanted.date_from))
    if wanted.date_to:
        query = query.where(
            Conversation.last_activity_at < _start_of(wanted.date_to) + timedelta(days=1)
        )
    if wanted.score_min is not None:
        query = query.where(Conversation.score >= wanted.score_min)
    if wanted.score_max is not None:
        query = query.where(Conversation.score <= wanted.score_max)
    if wanted.reviewed is not None:
        query = query.where(Conversation.reviewed == wanted.reviewed)
    if wanted.tag:
        tagged = select(ConversationTag.conversation_id).where(ConversationTag.tag == wanted.tag)
        query = query.where(Conversation.id.in_(tagged))
    return query


def inbox(
    session: Session,
    principal: Principal,
    wanted: InboxFilter,
    page: int = 1,
    size: int = PAGE_SIZE,
) -> tuple[list[InboxRow], int]:
    """One page of matching conversations, latest activity first, and how many match."""
    query = filtered(principal, wanted)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    found = session.scalars(
        query.options(_WITH_OWNER)
        .order_by(Conversation.last_activity_at.desc(), Conversation.id.desc())
        .offset((max(page, 1) - 1) * size)
        .limit(size)
    ).all()
    return _rows(session, list(found)), total


def all_rows(session: Session, principal: Principal, wanted: InboxFilter) -> list[InboxRow]:
    query = (
        filtered(principal, wanted)
        .options(_WITH_OWNER)
        .order_by(Conversation.last_activity_at.desc())
    )
    return _rows(session, list(session.scalars(query).all()))


def _rows(session: Session, conversations: list[Conversation]) -> list[InboxRow]:
    ids = [c.id for c in conversations]
    tags: dict[int, list[str]] = {}
    for conversation_id, tag in session.execute(
        select(ConversationTag.conversation_id, ConversationTag.tag)
        .where(ConversationTag.conversation_id.in_(ids))
        .order_by(ConversationTag.tag)
    ):
        tags.setdefault(conversation_id, []).append(tag)
    unread = dict(
        session.execute(
            select(Comment.conversation_id, func.count())
            .join(Conversation, Comment.conversation_id == Conversation.id)
            .where(
                Comment.conversation_id.in_(ids),
                Comment.read_at.is_(None),
                Comment.author_id != Conversation.user_id,
            )
            .group_by(Comment.conversation_id)
        ).all()
    )
    return [
        InboxRow(
            id=c.id,
            client_id=c.client_id,
            trainee=c.user.name,
            team=c.user.team.name if c.user.team else None,
            mode=c.mode,
            scenario=c.scenario,
            customer_type=c.customer_type,
            difficulty=c.difficulty,
            score=c.score,
            reviewed=c.reviewed,
            messages=c.messages,
            last_activity_at=c.last_activity_at,
            tags=tags.get(c.id, []),
            unread=unread.get(c.id, 0),
            scores=[int(a["score"]) for a in c.attempts or [] if a.get("score") is not None]
            or ([c.score] if c.score is not None else []),
        )
        for c in conversations
    ]


def visible_conversation(session: Session, principal: Principal, pk: int) -> Conversation | None:
    """The conversation with its owner loaded, if the principal may see it."""
    return session.scalar(
        visible_conversations(principal)
        .where(Conversation.id == pk)
        .options(selectinload(Conversation.user))
    )


def tags_of(session: Session, conversation_id: int) -> list[str]:
    return list(
        session.scalars(
            select(ConversationTag.tag)
            .where(ConversationTag.conversation_id == conversation_id)
            .order_by(ConversationTag.tag)
        )
    )


def mark_reviewed(session: Session, conversation_id: int) -> None:
    session.get_one(Conversation, conversation_id).reviewed = True


def attach_comments(
    session: Session,
    conversation: Conversation,
    principal: Principal,
    entries: list[TranscriptEntry],
) -> None:
    """Each comment under its message; the owner opening the transcript has now read the
    coaches' comments (the ones still unread are marked as new this once)."""
    now = datetime.now(UTC)
    for comment in session.scalars(
        select(Comment).where(Comment.conversation_id == conversation.id).order_by(Comment.id)
    ):
        from_coach = comment.author_id != conversation.user_id
        new = principal.user_id == conversation.user_id and from_coach and comment.read_at is None
        if new:
            comment.read_at = now
        if 0 <= comment.turn < len(entries):
            entries[comment.turn].comments.append(
                {
                    "author": comment.author.name,
                    "text": comment.text,
                    "at": comment.created_at,
                    "new": new,
                    "from_trainee": not from_coach,
                }
            )


@dataclass(frozen=True)
class UnreadComment:
    conversation: int
    turn: int
    author: str
    text: str


def unread_comments(session: Session, principal: Principal) -> list[UnreadComment]:
    """Coaches' comments on the principal's own conversations not opened yet, newest first."""
    found = session.execute(
        select(Comment, User.name)
        .join(Conversation, Comment.conversation_id == Conversation.id)
        .join(User, Comment.author_id == User.id)
        .where(
            Conversation.user_id == principal.user_id,
            Comment.author_id != principal.user_id,
            Comment.read_at.is_(None),
        )
        .order_by(Comment.id.desc())
        .limit(20)
    ).all()
    return [
        UnreadComment(comment.conversation_id, comment.turn, author, comment.text)
        for comment, author in found
    ]


def add_comment(
    session: Session, conversation: Conversation, principal: Principal, turn: int, text: str
) -> None:
    text = text.strip()
    if not text or len(text) > MAX_COMMENT:
        raise ReviewError("comment_length", limit=MAX_COMMENT)
    if principal.user_id == conversation.user_id and not session.scalar(
        select(Comment.id).where(
            Comment.conversation_id == conversation.id,
            Comment.turn == turn,
            Comment.author_id != conversation.user_id,
        )
    ):
        raise ReviewError("reply_only")  # a trainee answers a coach's comment
    session.add(
        Comment(conversation_id=conversation.id, turn=turn, author_id=principal.user_id, text=text)
    )


def add_tag(session: Session, conversation: Conversation, tag: str) -> None:
    tag = tag.strip().lower()
    if not tag or len(tag) > MAX_TAG or not tag.replace("-", "").replace("_", "").isalnum():
        raise ReviewError("tag_format", limit=MAX_TAG)
    if session.get(ConversationTag, (conversation.id, tag)) is None:
        session.add(ConversationTag(conversation_id=conversation.id, tag=tag))


def remove_tag(session: Session, conversation: Conversation, tag: str) -> None:
    found = session.get(ConversationTag, (conversation.id, tag))
    if found is not None:
        session.delete(found)


def relabel_line(
    session: Session,
    conversation: Conversation,
    principal: Principal,
    entry: TranscriptEntry,
    label: str,
) -> None:
    if label not in TYPE_CODES:
        raise ReviewError("relabel_type")
    if entry.role != "customer" or entry.reading is None:
        raise ReviewError("relabel_not_customer")
    record_relabels(
        session,
        [
            Relabel(
                source="web",
                author=principal.name,
                text=entry.text,
                lang=detect_language(entry.text) or "zh",
                model_type=entry.reading["customer_type"],
                label=label,
                conversation_id=conversation.rasa_sender,
            )
        ],
    )


def attach_relabels(
    session: Session, conversation: Conversation, entries: list[TranscriptEntry]
) -> None:
    """Each customer line's latest correction, shown beside the model's reading."""
    latest = {relabel.text: relabel for relabel in relabels_of(session, conversation.rasa_sender)}
    for entry in entries:
        found = latest.get(clean_line(entry.text)) if entry.role == "customer" else None
        if found is not None:
            entry.details = {"relabel": {"id": found.id, "label": found.label, "by": found.author}}


def remove_relabel(session: Session, principal: Principal, relabel_id: int) -> None:
    """Admins remove any correction; a coach one they made or one from their teams."""
    found = session.get(Relabel, relabel_id)
    if found is None:
        raise LookupError("no such relabelled line")
    if principal.role != "admin" and found.author != principal.name:
        senders = session.scalars(
            visible_conversations(principal)
            .where(Conversation.rasa_sender == found.conversation_id)
            .with_only_columns(Conversation.id)
        ).first()
        if senders is None:
            raise LookupError("no such relabelled line")
    session.delete(found)


EXPORT_FIELDS = (
    "id", "conversation", "trainee", "team", "mode", "scenario", "customer_type",
    "difficulty", "score", "reviewed", "messages", "last_activity_at", "tags",
)  # fmt: skip


def export_records(rows: list[InboxRow]) -> list[dict[str, Any]]:
    return [
        {
            "id": row.id,
            "conversation": row.client_id,
            "trainee": row.trainee,
            "team": row.team,
            "mode": row.mode,
            "scenario": row.scenario,
            "customer_type": row.customer_type,
            "difficulty": row.difficulty,
            "score": row.score,
            "reviewed": row.reviewed,
            "messages": row.messages,
            "last_activity_at": _aware(row.last_activity_at).isoformat(),
            "tags": row.tags,
        }
        for row in rows
    ]


def export_csv(rows: list[InboxRow]) -> str:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text ungarbled."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for record in export_records(rows):
        record["tags"] = " ".join(record["tags"])
        writer.writerow({key: _cell(value) for key, value in record.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    """Spreadsheets run cells starting with = + - @ as formulas: keep them text."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
