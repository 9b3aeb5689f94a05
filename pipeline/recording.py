"""A gateway wrapper that remembers each answer and failure, so the stage can audit every call."""

from __future__ import annotations

from typing import Any

from models.gateway import ModelAnswer, ModelGateway, ModelUnavailable, Step


class RecordingGateway:
    def __init__(self, inner: ModelGateway) -> None:
        self.inner = inner
        self.answers: list[ModelAnswer] = []
        self.failures: list[tuple[Step, str]] = []

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
        try:
            answer = self.inner.complete_json(
                step, prompt, schema, prompt_version=prompt_version, cache_key=cache_key,
                max_tokens=max_tokens,
            )
        except ModelUnavailable as error:  # the stage falls back; the audit log says why
            self.failures.append((step, str(error)))
            raise
        self.answers.append(answer)
        return answer
