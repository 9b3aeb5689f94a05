"""Fakes shared by every tier: a model gateway with scripted answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from models.gateway import ModelAnswer, ModelUnavailable, Step


class FakeGateway:
    """Implements the ModelGateway protocol with scripted answers, recording each request.

    `answers` are the values per field: each property of the requested schema is answered
    from it, "" (no value) when it has none. `by_step` scripts one step differently
    (e.g. {"classification": {...}}). An exception as the answer is raised instead, and
    `fail=True` raises ModelUnavailable. `calls` holds every request, in order.
    """

    def __init__(
        self,
        answers: Mapping[str, Any] | Exception | None = None,
        *,
        fail: bool = False,
        by_step: Mapping[Step, Mapping[str, Any] | Exception] | None = None,
        model: str = "fake/model",
    ) -> None:
        self.answers = answers if answers is not None else {}
        self.fail = fail
        self.by_step = dict(by_step or {})
        self.model = model
        self.calls: list[dict[str, Any]] = []

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
        self.calls.append(
            {
                "step": step,
                "prompt": prompt,
                "schema": schema,
                "prompt_version": prompt_version,
                "cache_key": cache_key,
                "max_tokens": max_tokens,
            }
        )
        if self.fail:
            raise ModelUnavailable("no model configured")
        answers = self.by_step.get(step, self.answers)
        if isinstance(answers, Exception):
            raise answers
        data = {name: answers.get(name, "") for name in schema.get("properties", {})}
        return ModelAnswer(data=data, step=step, model=self.model, prompt_version=prompt_version)
