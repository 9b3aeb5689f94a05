"""`LiteLLMGateway`: the one door through which APX talks to a model.

For each call, in order: the cache (an answer for the same input, step, model and prompt
version is reused), then each model of the step's chain (the configured model, then its
fallbacks): refused unless its provider is allowed, refused if the call could exceed the run's
budget, called through litellm with the JSON schema as `response_format`, retried with
exponential backoff on transient errors, its JSON parsed and validated against the schema.
The first valid answer wins; when no model gives one, `ModelUnavailable` carries every reason.

litellm is imported on the first call only (it is heavy); nothing is printed.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from gateway.cache import CacheKey, ModelCache, SqliteModelCache
from gateway.config import GatewaySettings, ModelNotAllowed, provider_of
from models.gateway import ModelAnswer, ModelUnavailable, Step

REASON_MAX_CHARS = 300


class BudgetExceeded(ModelUnavailable):
    """The call could take the run over its cost budget."""


class SchemaViolation(Exception):
    """The model answered, but not with JSON valid against the schema."""


def _litellm() -> Any:
    """Import litellm offline and quiet, with the local provider registered."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True
    return litellm


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= REASON_MAX_CHARS else text[: REASON_MAX_CHARS - 1] + "…"


def parse_json_answer(content: str | None, validator: Draft202012Validator) -> dict[str, Any]:
    """The JSON object in `content` (code fences tolerated), valid against the schema."""
    text = (content or "").strip()
    if text.startswith("```"):
        text = text.strip("`").strip()
        if text.lower().startswith("json"):
            text = text[4:]
    try:
        # strict=False: small models put raw newlines/tabs inside strings; the content is
        # still unambiguous, and the schema check below is what guards the answer.
        data = json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        raise SchemaViolation(f"not JSON ({exc.msg}): {text[:80]!r}") from None
    if not isinstance(data, dict):
        raise SchemaViolation(f"expected a JSON object, got {type(data).__name__}")
    error = next(iter(validator.iter_errors(data)), None)
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        raise SchemaViolation(f"schema violation at {where}: {error.message}")
    return data


class LiteLLMGateway:
    """The ModelGateway of APX (see `models.gateway`), over litellm.

    `completion` replaces `litellm.completion` (tests wrap it to add `mock_response`);
    `sleep` replaces `time.sleep` for the backoff. One instance is one run for the budget.
    """

    def __init__(
        self,
        settings: GatewaySettings | None = None,
        *,
        cache: ModelCache | None = None,
        completion: Callable[..., Any] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or GatewaySettings()
        self.cache = cache
        self._completion = completion
        self._sleep = sleep
        self._lock = threading.Lock()
        self._spent = Decimal(0)
        self.calls = 0
        """Model calls actually sent (attempts, including retries and failures)."""

    @classmethod
    def from_settings(
        cls, settings: GatewaySettings | None = None, *, cache_file: Path | str | None = None
    ) -> LiteLLMGateway:
        """A gateway configured from the environment, with a SQLite cache file if given."""
        cache = SqliteModelCache(cache_file) if cache_file else None
        return cls(settings, cache=cache)

    @property
    def spent(self) -> Decimal:
        """USD spent by this gateway since it was made or `reset_budget()` was called."""
        return self._spent

    def reset_budget(self) -> None:
        """Start a new run for the budget (a long-lived gateway serving several runs)."""
        with self._lock:
            self._spent = Decimal(0)

    # -- the protocol -------------------------------------------------------------------------

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
        chain = self.settings.models_for(step)
        validator = Draft202012Validator(schema)

        cached = self._cached(chain, step, prompt_version, cache_key, validator)
        if cached is not None:
            return cached

        reasons: list[str] = []
        refusals: list[type[ModelUnavailable]] = []
        tried: list[str] = []
        for model in chain:
            try:
                self.settings.check_allowed(model)
                self._check_budget(model, prompt, max_tokens)
            except ModelUnavailable as exc:
                reasons.append(str(exc))
                refusals.append(type(exc))
                continue
            try:
                answer = self._ask(model, step, prompt, schema, validator, max_tokens)
            except Exception as exc:
                reasons.append(f"{model}: {_short(str(exc)) or type(exc).__name__}")
                refusals.append(ModelUnavailable)
                tried.append(model)
                continue
            answer = answer.model_copy(
                update={"prompt_version": prompt_version, "fallbacks_tried": tried}
            )
            if self.cache is not None:
                self.cache.put(CacheKey(cache_key, step, model, prompt_version), answer)
            return answer

        kind = refusals[0] if refusals and len(set(refusals)) == 1 else ModelUnavailable
        raise kind(f"no model answered the {step} step: " + "; ".join(reasons))

    # -- steps --------------------------------------------------------------------------------

    def _cached(
        self,
        chain: list[str],
        step: Step,
        prompt_version: str,
        cache_key: str,
        validator: Draft202012Validator,
    ) -> ModelAnswer | None:
        if self.cache is None:
            return None
        for model in chain:
            try:
                self.settings.check_allowed(model)
            except ModelNotAllowed:
                continue
            hit = self.cache.get(CacheKey(cache_key, step, model, prompt_version))
            if hit is not None and validator.is_valid(hit.data):
                return hit.model_copy(update={"cached": True, "cost": Decimal(0), "latency_ms": 0})
        return None

    def _check_budget(self, model: str, prompt: str, max_tokens: int) -> None:
        estimate = self._estimate_cost(model, prompt, max_tokens)
        budget = self.settings.budget_usd
        if self._spent + estimate > budget:
            raise BudgetExceeded(
                f"{model}: refused, the call could cost up to ${estimate:.6f} and "
                f"${self._spent:.6f} of the ${budget} budget is spent"
            )

    def _estimate_cost(self, model: str, prompt: str, max_tokens: int) -> Decimal:
        """Worst case (prompt + max_tokens out); 0 for free or unpriced models."""
        if provider_of(model) == "local":
            return Decimal(0)
        litellm = _litellm()
        try:
            _, out_cost = litellm.cost_per_token(model=model, completion_tokens=max_tokens)
            in_per_token, _ = litellm.cost_per_token(model=model, prompt_tokens=1)
        except Exception:
            return Decimal(0)  # not in the cost map: its cost is recorded as 0
        if not out_cost and not in_per_token:
            return Decimal(0)
        messages = [{"role": "user", "content": prompt}]
        prompt_tokens = int(litellm.token_counter(model=model, messages=messages))
        return Decimal(str(out_cost)) + Decimal(str(in_per_token)) * Decimal(prompt_tokens)

    def _ask(
        self,
        model: str,
        step: Step,
        prompt: str,
        schema: dict[str, Any],
        validator: Draft202012Validator,
        max_tokens: int,
    ) -> ModelAnswer:
        """One model, with retries on transient errors; raises on final failure."""
        litellm = _litellm()
        if provider_of(model) == "local":
            from gateway.local_llm import register_local_provider

            register_local_provider(
                model_path=self.settings.local_model_path, n_threads=self.settings.model_threads
            )
        transient = (
            litellm.RateLimitError,
            litellm.Timeout,
            litellm.APIConnectionError,
            litellm.InternalServerError,
            litellm.ServiceUnavailableError,
        )
        completion = self._completion or litellm.completion
        request: dict[str, Any] = {
            "model": model,
            "messages": [{"role": "user", "content": prompt}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": f"apx_{step}", "schema": schema},
            },
            "temperature": self.settings.temperature,
            "max_tokens": max_tokens,
            "timeout": self.settings.timeout_seconds,
            "num_retries": 0,
            "max_retries": 0,
        }
        api_base = self.settings.model_api_bases.get(model)
        if api_base:
            request["api_base"] = api_base

        attempt = 0
        while True:
            started = time.monotonic()
            self.calls += 1
            try:
                response = completion(**request)
                break
            except transient:
                if attempt >= self.settings.retries:
                    raise
                self._sleep(
                    min(
                        self.settings.backoff_seconds * 2**attempt,
                        self.settings.backoff_max_seconds,
                    )
                )
                attempt += 1
        latency_ms = round((time.monotonic() - started) * 1000)

        cost = self._cost_of(litellm, response)
        with self._lock:
            self._spent += cost
        usage = getattr(response, "usage", None)
        content = response.choices[0].message.content
        data = parse_json_answer(content, validator)
        return ModelAnswer(
            data=data,
            step=step,
            model=model,
            prompt_version="",
            prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
            cost=cost,
            latency_ms=latency_ms,
        )

    @staticmethod
    def _cost_of(litellm: Any, response: Any) -> Decimal:
        hidden = getattr(response, "_hidden_params", None) or {}
        cost = hidden.get("response_cost")
        if cost is None:
            try:
                cost = litellm.completion_cost(completion_response=response)
            except Exception:
                cost = 0
        return Decimal(str(cost or 0))
