"""The in-process local provider: request translation, and one call of the real model."""

from __future__ import annotations

import time

import pytest

from gateway.client import LiteLLMGateway
from gateway.config import GatewaySettings


def test_json_schema_response_format_becomes_a_llama_grammar():
    from gateway.local_llm import llama_response_format

    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert llama_response_format(
        {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}
    ) == {"type": "json_object", "schema": schema}
    assert llama_response_format({"type": "json_object", "schema": schema}) == {
        "type": "json_object",
        "schema": schema,
    }
    assert llama_response_format({"type": "json_object"}) == {"type": "json_object"}
    assert llama_response_format({"type": "text"}) is None
    assert llama_response_format(None) is None


def test_system_text_is_folded_into_the_first_user_message():
    from gateway.local_llm import _messages

    messages = [
        {"role": "system", "content": "Answer in JSON."},
        {"role": "user", "content": [{"type": "text", "text": "Which currency?"}]},
    ]
    assert _messages(messages) == [
        {"role": "user", "content": "Answer in JSON.\n\nWhich currency?"}
    ]


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
