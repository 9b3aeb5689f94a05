"""Domain models (pydantic) and database tables (SQLAlchemy). Imports nothing else of APX."""
