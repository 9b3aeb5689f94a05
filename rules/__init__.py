"""Deterministic matching and rules. Rules are pure: no model, no network, no database."""
