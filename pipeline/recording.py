"""A gateway wrapper that remembers each answer, so the stage can store and audit every call."""

from __future__ import annotations

from typing import Any

from models.gateway import ModelAnswer, ModelGateway, Step


class RecordingGateway:
    def __init__(self, inner: ModelGateway) -> None:
        self.inner = inner
        self.answers: list[ModelAnswer] = []

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
        answer = self.inner.complete_json(
            step, prompt, schema, prompt_version=prompt_version, cache_key=cache_key,
            max_tokens=max_tokens,
        )
        self.answers.append(answer)
        return answer
