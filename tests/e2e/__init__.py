"""End-to-end tier: the `apx` command, the Prefect UI (`apx ui`), the real local model."""
