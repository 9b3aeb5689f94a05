"""Persistence: the database schema's migrations and the repository the pipeline writes through."""
