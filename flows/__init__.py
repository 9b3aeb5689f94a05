"""Prefect flows: orchestration only. Every task calls one stage of `pipeline.stages`."""
