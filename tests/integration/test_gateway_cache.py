"""The model answer cache in a SQLite file: the contract tests of tests/unit, and persistence."""

from __future__ import annotations

import pytest

from gateway.cache import SqliteModelCache
from tests.unit.test_gateway_cache import (  # collected here again, with the SQLite `cache`
    ANSWER,
    KEY,
    test_every_key_part_matters,
    test_put_replaces,
    test_round_trip,
)

__all__ = ["test_every_key_part_matters", "test_put_replaces", "test_round_trip"]


@pytest.fixture(params=["sqlite"])
def cache(tmp_path):
    return SqliteModelCache(tmp_path / "sub" / "model-cache.sqlite")


def test_sqlite_cache_persists_across_instances(tmp_path):
    path = tmp_path / "model-cache.sqlite"
    SqliteModelCache(path).put(KEY, ANSWER)
    assert SqliteModelCache(path).get(KEY) == ANSWER
