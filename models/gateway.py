"""The contract between pipeline stages and the model gateway.

Stages depend on this protocol only; `gateway/` implements it with litellm. That keeps
litellm (heavy to import) out of every code path that does not call a model, and lets
unit tests pass a fake.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

Step = Literal["extraction", "classification"]


class ModelAnswer(BaseModel):
    """A schema-valid JSON answer and the record the audit log keeps of the call."""

    data: dict[str, Any]
    step: Step
    model: str
    prompt_version: str
    cached: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: Decimal = Decimal(0)
    latency_ms: int = 0
    fallbacks_tried: list[str] = Field(default_factory=list)


class ModelUnavailable(Exception):
    """No allowed model could answer (all failed, over budget, or not allowed): use the fallback."""


class ModelGateway(Protocol):
    def complete_json(
        self,
        step: Step,
        prompt: str,
        schema: dict[str, Any],
        *,
        prompt_version: str,
        cache_key: str,
        max_tokens: int = 256,
    ) -> ModelAnswer:
        """Ask the step's model for JSON valid against `schema`; raise ModelUnavailable."""
        ...
