"""Alembic environment: the URL comes from api.db.migrate, the tables from api.db.models."""

from alembic import context
from sqlalchemy import create_engine

from api.db.models import Base

url = context.config.get_main_option("sqlalchemy.url")
if url is None:
    raise RuntimeError("api.db.migrate sets sqlalchemy.url; run migrations through it")

if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
