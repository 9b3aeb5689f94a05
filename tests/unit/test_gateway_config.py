"""GatewaySettings: environment, model chains and the provider allowlist."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gateway.config import DEFAULT_MODEL, GatewaySettings, ModelNotAllowed, provider_of
from models.gateway import ModelUnavailable


def test_defaults_run_the_local_model_only(monkeypatch):
    for name in ("APX_EXTRACTION_MODEL", "APX_CLASSIFICATION_MODEL", "APX_ALLOWED_PROVIDERS"):
        monkeypatch.delenv(name, raising=False)
    settings = GatewaySettings()
    assert settings.models_for("extraction") == [DEFAULT_MODEL] == ["local/gemma3-270m"]
    assert settings.models_for("classification") == [DEFAULT_MODEL]
    assert settings.allowed_providers == ["local"]
    assert settings.temperature == 0
    assert isinstance(settings.budget_usd, Decimal)


def test_environment_configures_models_fallbacks_and_allowlist(monkeypatch):
    monkeypatch.setenv("APX_CLASSIFICATION_MODEL", "openai/gpt-4o-mini")
    monkeypatch.setenv(
        "APX_CLASSIFICATION_FALLBACKS", "anthropic/claude-3-5-haiku, local/gemma3-270m"
    )
    monkeypatch.setenv("APX_EXTRACTION_FALLBACKS", '["ollama_chat/llama3.2"]')
    monkeypatch.setenv("APX_ALLOWED_PROVIDERS", "local,openai")
    monkeypatch.setenv("APX_BUDGET_USD", "0.25")
    monkeypatch.setenv("APX_MODEL_THREADS", "2")
    settings = GatewaySettings()
    assert settings.models_for("classification") == [
        "openai/gpt-4o-mini",
        "anthropic/claude-3-5-haiku",
        "local/gemma3-270m",
    ]
    assert settings.models_for("extraction") == ["local/gemma3-270m", "ollama_chat/llama3.2"]
    assert settings.allowed_providers == ["local", "openai"]
    assert settings.budget_usd == Decimal("0.25")
    assert settings.model_threads == 2


def test_chain_has_no_repeats():
    settings = GatewaySettings(
        classification_model="local/gemma3-270m",
        classification_fallbacks=["local/gemma3-270m", "openai/gpt-4o-mini"],
    )
    assert settings.models_for("classification") == ["local/gemma3-270m", "openai/gpt-4o-mini"]


def test_provider_prefix():
    assert provider_of("openai/gpt-4o") == "openai"
    assert provider_of("ollama_chat/llama3.2:1b") == "ollama_chat"
    assert provider_of("gpt-4o") == ""
    assert provider_of("/gpt-4o") == ""


def test_allowlist_refuses_with_a_clear_error():
    settings = GatewaySettings(allowed_providers=["local"])
    settings.check_allowed("local/gemma3-270m")
    with pytest.raises(ModelNotAllowed, match="'openai' is not on the allowlist") as info:
        settings.check_allowed("openai/gpt-4o-mini")
    assert isinstance(info.value, ModelUnavailable)
    with pytest.raises(ModelNotAllowed, match="names no provider"):
        settings.check_allowed("gpt-4o-mini")
