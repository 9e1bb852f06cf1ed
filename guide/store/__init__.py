"""Persistence: SQLAlchemy engine from settings, tables, Alembic migrations, and the learner repository."""
