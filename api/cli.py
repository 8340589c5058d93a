"""Command-line tasks on the app database: `make manage ARGS="migrate"`.

migrate            create or upgrade the app's tables (Alembic)
export-relabels    print every relabelled customer line as Rasa NLU YAML
"""

import argparse
import os
import sys

from sqlalchemy.engine import make_url

from api.db.database import Database
from api.db.migrate import upgrade
from api.db.relabels import relabels_as_nlu_yaml
from api.settings import DEFAULT_DATABASE_URL


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="manage", description="Tasks on the app database.")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("COACH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="SQLAlchemy URL (default: COACH_DATABASE_URL, else %(default)s)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="create or upgrade the app's tables")
    export = commands.add_parser("export-relabels", help="relabelled lines as Rasa NLU YAML")
    export.add_argument("--out", help="write to this file instead of standard output")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        upgrade(args.database_url)
        shown = make_url(args.database_url).render_as_string(hide_password=True)
        print(f"database at the latest schema: {shown}")
        return 0
    database = Database(args.database_url)
    try:
        with database.session() as session:
            text = relabels_as_nlu_yaml(session)
    finally:
        database.dispose()
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
