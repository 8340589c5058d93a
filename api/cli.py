"""Command-line tasks on the app database: `make manage ARGS="…"`.

migrate                          create or upgrade the app's tables (Alembic)
create-team NAME
create-user --role R --name N [--team T] [--password-stdin]
                                 a random password is printed unless one is piped in
create-token --name N [--label L]
                                 a personal API token, printed once
list-tokens [--name N]           API tokens (id, user, label, created, last used), never values
revoke-token --id ID             delete one API token: requests carrying it get 401
reset-password --name N          a new random password, printed once; ends the user's sessions
ensure-admin                     the first admin, with a random password printed once
export-relabels [--out FILE]     relabelled customer lines as Rasa NLU YAML
"""

import argparse
import os
import secrets
import sys

from sqlalchemy import select
from sqlalchemy.engine import make_url

from api.auth.accounts import (
    AccountError,
    create_team,
    create_token,
    create_user,
    reset_password,
    revoke_token,
    tokens_of,
    user_named,
)
from api.db.database import Database
from api.db.migrate import upgrade
from api.db.models import ROLES, User
from api.db.relabels import relabels_as_nlu_yaml
from api.settings import DEFAULT_DATABASE_URL


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="manage", description="Tasks on the app database.")
    main.add_argument(
        "--database-url",
        default=os.environ.get("COACH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="SQLAlchemy URL (default: COACH_DATABASE_URL, else %(default)s)",
    )
    commands = main.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="create or upgrade the app's tables")
    team = commands.add_parser("create-team", help="a new team")
    team.add_argument("name")
    user = commands.add_parser("create-user", help="a trainee, coach or admin")
    user.add_argument("--role", choices=ROLES, required=True)
    user.add_argument("--name", required=True)
    user.add_argument("--team", help="the trainee's team, or a team the coach looks after")
    user.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    token = commands.add_parser("create-token", help="a personal API token for a user")
    token.add_argument("--name", required=True, help="the user")
    token.add_argument("--label", default="cli", help="what the token is for")
    tokens = commands.add_parser("list-tokens", help="API tokens, without their values")
    tokens.add_argument("--name", help="only this user's")
    revoke = commands.add_parser("revoke-token", help="delete one API token")
    revoke.add_argument("--id", type=int, required=True, help="the id list-tokens shows")
    reset = commands.add_parser("reset-password", help="a new random password for a user")
    reset.add_argument("--name", required=True)
    commands.add_parser("ensure-admin", help="create the first admin if there is none")
    export = commands.add_parser("export-relabels", help="relabelled lines as Rasa NLU YAML")
    export.add_argument("--out", help="write to this file instead of standard output")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "migrate":
        upgrade(args.database_url)
        shown = make_url(args.database_url).render_as_string(hide_password=True)
        print(f"database at the latest schema: {shown}")
        return 0
    database = Database(args.database_url)
    try:
        return _run(args, database)
    except AccountError as exc:
        print(f"manage {args.command}: {exc}", file=sys.stderr)
        return 2
    finally:
        database.dispose()


def _run(args: argparse.Namespace, database: Database) -> int:
    with database.session() as session, session.begin():
        if args.command == "create-team":
            create_team(session, args.name)
            print(f"team {args.name!r} created")
        elif args.command == "create-user":
            typed = sys.stdin.readline().rstrip("\n") if args.password_stdin else ""
            password = typed or secrets.token_urlsafe(15)
            user = create_user(session, args.name, args.role, password, args.team)
            print(f"{user.role} {user.name!r} created")
            if not typed:
                print(f"password (shown once): {password}")
        elif args.command == "create-token":
            print(create_token(session, user_named(session, args.name), args.label))
        elif args.command == "list-tokens":
            user_id = user_named(session, args.name).id if args.name else None
            for token in tokens_of(session, user_id):
                used = (
                    token.last_used_at.isoformat(timespec="minutes")
                    if token.last_used_at
                    else "never"
                )
                created = token.created_at.isoformat(timespec="minutes")
                print(f"{token.id}\t{token.user.name}\t{token.name}\t{created}\t{used}")
        elif args.command == "revoke-token":
            revoked = revoke_token(session, args.id)
            print(f"token {revoked.id} ({revoked.name!r}) revoked")
        elif args.command == "reset-password":
            name, password = reset_password(session, user_named(session, args.name).id)
            print(f"new password for {name!r} (shown once): {password}")
        elif args.command == "ensure-admin":
            if session.scalar(select(User).where(User.role == "admin")) is None:
                password = secrets.token_urlsafe(15)
                create_user(session, "admin", "admin", password)
                print(f"first admin created: name 'admin', password (shown once): {password}")
        else:
            text = relabels_as_nlu_yaml(session)
            if args.out:
                with open(args.out, "w", encoding="utf-8") as out:
                    out.write(text)
            else:
                sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
