"""Unit tier: pure code, no database server, no Prefect, no litellm, no model (seconds)."""
