"""The Alembic migrations build exactly the tables the models describe, and go back down."""

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from api.db.migrate import alembic_config, pending_migrations, upgrade
from api.db.models import Base


def test_migrations_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    assert pending_migrations(url)
    upgrade(url)
    assert not pending_migrations(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


def test_downgrade_to_empty(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()
