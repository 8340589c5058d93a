"""The app's SQLite database (the embedded default) commits through a write-ahead log."""

from pathlib import Path

from api.db.database import Database


def _journal_mode(url: str) -> str:
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            return str(connection.exec_driver_sql("PRAGMA journal_mode").scalar())
    finally:
        database.dispose()


def test_an_sqlite_file_is_opened_in_write_ahead_log_mode(tmp_path: Path) -> None:
    assert _journal_mode(f"sqlite:///{tmp_path / 'app.db'}") == "wal"


def test_an_in_memory_database_is_left_as_it_is() -> None:
    assert _journal_mode("sqlite://") == "memory"
