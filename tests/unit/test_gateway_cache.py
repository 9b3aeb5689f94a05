"""The model answer cache contract, in memory (the SQLite file: tests/integration)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gateway.cache import CacheKey, InMemoryModelCache
from models.gateway import ModelAnswer

ANSWER = ModelAnswer(
    data={"pattern": "PRICE_VARIANCE", "n": 1.5},
    step="classification",
    model="local/gemma3-270m",
    prompt_version="v1",
    prompt_tokens=12,
    completion_tokens=7,
    cost=Decimal("0.000123"),
    latency_ms=42,
)
KEY = CacheKey("sha256:abc", "classification", "local/gemma3-270m", "v1")


@pytest.fixture(params=["memory"])
def cache():
    return InMemoryModelCache()


def test_round_trip(cache):
    assert cache.get(KEY) is None
    cache.put(KEY, ANSWER)
    assert cache.get(KEY) == ANSWER


def test_every_key_part_matters(cache):
    cache.put(KEY, ANSWER)
    for other in (
        KEY._replace(cache_key="sha256:def"),
        KEY._replace(step="extraction"),
        KEY._replace(model="openai/gpt-4o-mini"),
        KEY._replace(prompt_version="v2"),
    ):
        assert cache.get(other) is None


def test_put_replaces(cache):
    cache.put(KEY, ANSWER)
    newer = ANSWER.model_copy(update={"data": {"pattern": "HIGH_VALUE"}})
    cache.put(KEY, newer)
    assert cache.get(KEY) == newer
