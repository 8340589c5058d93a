"""Users, teams, tokens and sessions in the app database. Functions take a Session and
run inside the caller's transaction (`Database.run`)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from api.auth.passwords import MIN_PASSWORD_LENGTH, dummy_hash, hash_password, password_matches
from api.db.models import ROLES, ApiToken, LoginFailure, Team, User, WebSession
from api.form_error import FormError

SESSION_LIFETIME = timedelta(hours=12)
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_FAILURES_ALLOWED = 5  # per user name and client address
ACCOUNT_FAILURES_ALLOWED = 20  # per user name from all addresses together
TOKEN_PREFIX = "coach_"
LAST_USED_RESOLUTION = timedelta(minutes=1)
_PRINCIPAL_COLUMNS = (
    User.id.label("user_id"), User.name, User.role, User.team_id, User.active
)  # fmt: skip


class AccountError(FormError):
    """An account change that can't be done (ui.yml section `accounts`)."""

    section = "accounts"


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
        raise AccountError("team_name")
    if session.scalar(select(Team).where(Team.name == name)):
        raise AccountError("team_exists", name=name)
    team = Team(name=name)
    session.add(team)
    session.flush()
    return team


def team_named(session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        raise AccountError("no_team", name=name)
    return team


def create_user(
    session: Session, name: str, role: str, password: str, team: str | None = None
) -> User:
    name = name.strip()
    if role not in ROLES:
        raise AccountError("bad_role")
    if not name or len(name) > 64 or not name.isprintable():
        raise AccountError("user_name")
    if session.scalar(select(User).where(func.lower(User.name) == name.lower())):
        raise AccountError("user_exists", name=name)
    password_hash = _hashed(password)
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


def _hashed(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("weak_password", length=MIN_PASSWORD_LENGTH)
    return hash_password(password)


def user_named(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.name) == name.strip().lower()))
    if user is None:
        raise AccountError("no_user", name=name)
    return user


def create_token(session: Session, user: User, name: str) -> str:
    """A new personal API token; the plain value is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name[:64] or "token", token_hash=digest(plain)))
    return plain


def principal_for_token(session: Session, token: str) -> Principal | None:
    """Read as plain rows, not ORM objects: every chat turn asks this (a third of a turn's
    cost in the API was building and flushing the token and its user)."""
    found = session.execute(
        select(ApiToken.id, ApiToken.last_used_at, *_PRINCIPAL_COLUMNS)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == digest(token))
    ).first()
    if found is None or not found.active:
        return None
    now = datetime.now(UTC)
    # "Last used" is shown to the minute: writing it on every call would make every
    # authenticated request a write transaction.
    if found.last_used_at is None or now - _aware(found.last_used_at) >= LAST_USED_RESOLUTION:
        session.execute(update(ApiToken).where(ApiToken.id == found.id).values(last_used_at=now))
    return Principal(found.user_id, found.name, found.role, found.team_id, None)


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
            raise AccountError("too_many_logins", minutes=int(LOGIN_WINDOW.total_seconds() // 60))
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
    found = session.execute(
        select(WebSession.expires_at, WebSession.csrf_token, *_PRINCIPAL_COLUMNS)
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.id_hash == digest(cookie))
    ).first()
    if found is None or _aware(found.expires_at) < datetime.now(UTC) or not found.active:
        return None
    return Principal(found.user_id, found.name, found.role, found.team_id, found.csrf_token)


def logout(session: Session, cookie: str) -> None:
    session.execute(delete(WebSession).where(WebSession.id_hash == digest(cookie)))


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def set_active(session: Session, user_id: int, active: bool) -> None:
    """Deactivating ends the user's sessions and deletes their API tokens, so reactivating
    someone gives back the account but no old token (they get new ones)."""
    user = _user(session, user_id)
    user.active = active
    if not active:
        session.execute(delete(WebSession).where(WebSession.user_id == user_id))
        session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))


def tokens_of(session: Session, user_id: int | None = None) -> list[ApiToken]:
    """API tokens (never their values), newest first; one user's or everyone's."""
    query = select(ApiToken).options(selectinload(ApiToken.user))
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return list(session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(session: Session, token_id: int) -> ApiToken:
    """Delete one token; requests carrying it get 401 from now on."""
    found = session.get(ApiToken, token_id)
    if found is None:
        raise AccountError("no_such_token")
    session.delete(found)
    return found


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise AccountError("no_such_user")
    return user


def change_user(
    session: Session, admin: Principal, user_id: int, role: str, teams: list[str]
) -> None:
    """Set a user's role and team(s): a trainee belongs to at most one team, a coach looks
    after any number, an admin needs none. An admin can't take away their own admin role."""
    user = _user(session, user_id)
    if role not in ROLES:
        raise AccountError("bad_role")
    if user.id == admin.user_id and role != "admin":
        raise AccountError("own_role")
    chosen = [team_named(session, name) for name in dict.fromkeys(t for t in teams if t)]
    if role == "trainee" and len(chosen) > 1:
        raise AccountError("one_team")
    if role != user.role:
        session.execute(delete(WebSession).where(WebSession.user_id == user_id))
    user.role = role
    user.team = chosen[0] if role == "trainee" and chosen else None
    user.coached_teams = chosen if role == "coach" else []


def reset_password(session: Session, user_id: int) -> tuple[str, str]:
    """A new random password for the user, ending their sessions; (name, password) to show
    once."""
    user = _user(session, user_id)
    password = secrets.token_urlsafe(15)
    user.password_hash = hash_password(password)
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return user.name, password


def add_coach_to_team(session: Session, coach_name: str, team: str) -> None:
    coach = user_named(session, coach_name)
    if coach.role != "coach":
        raise AccountError("not_a_coach", name=coach.name)
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
