"""The app's own tables (SQLAlchemy 2 models, Alembic migrations); SQLite by default."""
