"""Users, teams, tokens and sessions in the app database. Functions take a Session and
run inside the caller's transaction (`Database.run`)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from api.auth.passwords import dummy_hash, hash_password, password_matches
from api.db.models import ROLES, ApiToken, LoginFailure, Team, User, WebSession

SESSION_LIFETIME = timedelta(hours=12)
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_FAILURES_ALLOWED = 5  # per user name and client address
ACCOUNT_FAILURES_ALLOWED = 20  # per user name from all addresses together
TOKEN_PREFIX = "coach_"


class AccountError(ValueError):
    """A request about accounts that can't be done, with a message for the user."""


@dataclass(frozen=True)
class Principal:
    """Who is asking: the user and, for browser sessions, the session's CSRF token."""

    user_id: int
    name: str
    role: str
    team_id: int | None
    csrf_token: str | None  # None for API tokens: no cookie, so no CSRF risk


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_team(session: Session, name: str) -> Team:
    name = name.strip()
    if not name or len(name) > 64:
        raise AccountError("a team name has 1 to 64 characters")
    if session.scalar(select(Team).where(Team.name == name)):
        raise AccountError(f"team {name!r} already exists")
    team = Team(name=name)
    session.add(team)
    session.flush()
    return team


def team_named(session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        raise AccountError(f"no team {name!r}")
    return team


def create_user(
    session: Session, name: str, role: str, password: str, team: str | None = None
) -> User:
    name = name.strip()
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if not name or len(name) > 64 or not name.isprintable():
        raise AccountError("a user name has 1 to 64 printable characters")
    if session.scalar(select(User).where(func.lower(User.name) == name.lower())):
        raise AccountError(f"user {name!r} already exists")
    try:
        password_hash = hash_password(password)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    user = User(name=name, role=role, password_hash=password_hash)
    if team is not None:
        found = team_named(session, team)
        if role == "coach":
            user.coached_teams.append(found)
        else:
            user.team = found
    session.add(user)
    session.flush()
    return user


def user_named(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.name) == name.strip().lower()))
    if user is None:
        raise AccountError(f"no user {name!r}")
    return user


def create_token(session: Session, user: User, name: str) -> str:
    """A new personal API token; the plain value is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name[:64] or "token", token_hash=digest(plain)))
    return plain


def principal_for_token(session: Session, token: str) -> Principal | None:
    found = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if found is None or not found.user.active:
        return None
    found.last_used_at = datetime.now(UTC)
    user = found.user
    return Principal(user.id, user.name, user.role, user.team_id, None)


def login(session: Session, name: str, password: str, client: str) -> tuple[str, str] | None:
    """A new session's (cookie value, the user's role) for the right password, else None.

    Raises AccountError when this name failed too often recently, from this client address or
    from all addresses together (so rotating the address buys no extra tries).
    """
    key = f"{name.strip().lower()}|{client}"
    account_key = f"{name.strip().lower()}|*"
    since = datetime.now(UTC) - LOGIN_WINDOW
    for limited, allowed in (
        (key, LOGIN_FAILURES_ALLOWED),
        (account_key, ACCOUNT_FAILURES_ALLOWED),
    ):
        failures = session.scalar(
            select(func.count()).where(LoginFailure.key == limited, LoginFailure.at > since)
        )
        if (failures or 0) >= allowed:
            raise AccountError(
                f"too many failed logins: wait {int(LOGIN_WINDOW.total_seconds() // 60)} minutes"
            )
    user = session.scalar(select(User).where(func.lower(User.name) == name.strip().lower()))
    if user is None or not user.active or not password_matches(user.password_hash, password):
        if user is None or not user.active:
            password_matches(dummy_hash(), password)  # the same time as a wrong password
        session.add_all([LoginFailure(key=key), LoginFailure(key=account_key)])
        return None
    session.execute(delete(LoginFailure).where(LoginFailure.key.in_([key, account_key])))
    session.execute(delete(WebSession).where(WebSession.expires_at < datetime.now(UTC)))
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        WebSession(
            id_hash=digest(cookie),
            user_id=user.id,
            csrf_token=csrf,
            expires_at=datetime.now(UTC) + SESSION_LIFETIME,
        )
    )
    return cookie, user.role


def principal_for_session(session: Session, cookie: str) -> Principal | None:
    found = session.get(WebSession, digest(cookie))
    if found is None or _aware(found.expires_at) < datetime.now(UTC) or not found.user.active:
        return None
    user = found.user
    return Principal(user.id, user.name, user.role, user.team_id, found.csrf_token)


def logout(session: Session, cookie: str) -> None:
    session.execute(delete(WebSession).where(WebSession.id_hash == digest(cookie)))


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def set_active(session: Session, user_id: int, active: bool) -> None:
    """Deactivating ends the user's sessions; their tokens stop working too."""
    user = session.get(User, user_id)
    if user is None:
        raise AccountError("no such user")
    user.active = active
    if not active:
        session.execute(delete(WebSession).where(WebSession.user_id == user_id))


def add_coach_to_team(session: Session, coach_name: str, team: str) -> None:
    coach = user_named(session, coach_name)
    if coach.role != "coach":
        raise AccountError(f"{coach.name!r} is not a coach")
    found = team_named(session, team)
    if found not in coach.coached_teams:
        coach.coached_teams.append(found)


def all_users(session: Session) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .options(selectinload(User.team), selectinload(User.coached_teams))
            .order_by(User.role, User.name)
        )
    )


def all_teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.name)))
