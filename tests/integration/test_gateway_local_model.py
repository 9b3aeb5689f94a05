"""The in-process local provider: request translation (the real model: tests/e2e)."""

from __future__ import annotations


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
