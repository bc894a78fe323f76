"""Persistence: SQLModel tables, the engine and its pragmas, schema version and migrations."""
