"""The app's SQLite database (the embedded default) commits through a write-ahead log."""

from pathlib import Path

from api.db.database import Database


def test_an_sqlite_file_is_opened_in_write_ahead_log_mode(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'app.db'}")
    try:
        with database.engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    finally:
        database.dispose()
    assert mode == "wal"


def test_an_in_memory_database_is_left_as_it_is() -> None:
    database = Database("sqlite://")
    try:
        with database.engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    finally:
        database.dispose()
    assert mode == "memory"
