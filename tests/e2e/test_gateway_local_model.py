"""One call of the real local model (Gemma 3 270M in process) through the gateway."""

from __future__ import annotations

import time

import pytest

from gateway.client import LiteLLMGateway
from gateway.config import GatewaySettings


@pytest.mark.model
def test_real_local_model_answers_within_an_enum():
    choices = ["EUR", "USD", "GBP", "CHF"]
    schema = {
        "type": "object",
        "properties": {"currency": {"type": "string", "enum": choices}},
        "required": ["currency"],
    }
    gateway = LiteLLMGateway(GatewaySettings(timeout_seconds=60, retries=0))
    started = time.monotonic()
    answer = gateway.complete_json(
        "extraction",
        "Invoice INV-1001 from Acme Ltd. Total due: 1,250.00 USD.\n"
        f"Which currency is the invoice in? Choose one of {', '.join(choices)}. Answer in JSON.",
        schema,
        prompt_version="test-enum-v1",
        cache_key="test",
        max_tokens=32,
    )
    elapsed = time.monotonic() - started
    assert answer.data["currency"] in choices
    assert answer.model == "local/gemma3-270m"
    assert answer.cost == 0 and answer.completion_tokens > 0
    assert elapsed < 60
