"""Integration tier: SQLite, PostgreSQL, Prefect flows and the runner, litellm (no model)."""
