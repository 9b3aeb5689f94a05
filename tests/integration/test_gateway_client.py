"""LiteLLMGateway with litellm's `mock_response`: no model runs, no network."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest

from gateway.cache import CacheKey, InMemoryModelCache
from gateway.client import BudgetExceeded, LiteLLMGateway
from gateway.config import GatewaySettings, ModelNotAllowed
from models.gateway import ModelAnswer, ModelUnavailable

SCHEMA = {
    "type": "object",
    "properties": {"currency": {"type": "string", "enum": ["EUR", "USD"]}},
    "required": ["currency"],
    "additionalProperties": False,
}
LOCAL = "local/gemma3-270m"
HOSTED = "openai/gpt-4o-mini"


@pytest.fixture(scope="module")
def litellm() -> ModuleType:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    return litellm


class Scripted:
    """Wraps litellm.completion, answering each model from a script via `mock_response`."""

    def __init__(self, litellm: ModuleType, script: dict[str, list[Any]]) -> None:
        self.litellm = litellm
        self.script = {model: list(outcomes) for model, outcomes in script.items()}
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        outcome = self.script[kwargs["model"]].pop(0)
        if isinstance(outcome, dict):
            outcome = json.dumps(outcome)
        return self.litellm.completion(**kwargs, mock_response=outcome)

    @property
    def models(self) -> list[str]:
        return [call["model"] for call in self.calls]


def rate_limited(litellm: ModuleType, model: str) -> Exception:
    error: Exception = litellm.RateLimitError(
        "slow down", llm_provider=model.split("/")[0], model=model
    )
    return error


def make(
    litellm: ModuleType,
    script: dict[str, list[Any]],
    cache: InMemoryModelCache | None = None,
    **settings: Any,
) -> tuple[LiteLLMGateway, Scripted, list[float]]:
    fake = Scripted(litellm, script)
    sleeps: list[float] = []
    options: dict[str, Any] = {
        "classification_model": LOCAL,
        "allowed_providers": ["local"],
        "backoff_seconds": 0.5,
    }
    options.update(settings)
    gateway = LiteLLMGateway(
        GatewaySettings.model_validate(options), cache=cache, completion=fake, sleep=sleeps.append
    )
    return gateway, fake, sleeps


def ask(gateway: LiteLLMGateway, cache_key: str = "sha256:doc1") -> ModelAnswer:
    return gateway.complete_json(
        "classification",
        "Which currency? Invoice total 12.00 USD",
        SCHEMA,
        prompt_version="classification-v1",
        cache_key=cache_key,
        max_tokens=32,
    )


def test_happy_path_fills_the_answer(litellm):
    gateway, fake, _ = make(litellm, {LOCAL: [{"currency": "USD"}]})
    answer = ask(gateway)
    assert answer.data == {"currency": "USD"}
    assert answer.model == LOCAL
    assert answer.step == "classification"
    assert answer.prompt_version == "classification-v1"
    assert answer.cached is False
    assert answer.prompt_tokens > 0 and answer.completion_tokens > 0
    assert answer.cost == Decimal(0)
    assert answer.latency_ms >= 0
    assert answer.fallbacks_tried == []
    call = fake.calls[0]
    assert call["temperature"] == 0
    assert call["max_tokens"] == 32
    assert call["response_format"]["json_schema"]["schema"] == SCHEMA
    assert call["messages"] == [
        {"role": "user", "content": "Which currency? Invoice total 12.00 USD"}
    ]


def test_code_fenced_json_is_accepted(litellm):
    gateway, _, _ = make(litellm, {LOCAL: ['```json\n{"currency": "EUR"}\n```']})
    assert ask(gateway).data == {"currency": "EUR"}


def test_rate_limit_is_retried_with_backoff(litellm):
    gateway, fake, sleeps = make(
        litellm,
        {LOCAL: [rate_limited(litellm, LOCAL), rate_limited(litellm, LOCAL), {"currency": "EUR"}]},
        retries=2,
    )
    assert ask(gateway).data == {"currency": "EUR"}
    assert fake.models == [LOCAL] * 3
    assert sleeps == [0.5, 1.0]


def test_retries_exhausted_fall_back_to_the_next_model(litellm):
    gateway, fake, sleeps = make(
        litellm,
        {
            HOSTED: [rate_limited(litellm, HOSTED)] * 2,
            LOCAL: [{"currency": "USD"}],
        },
        classification_model=HOSTED,
        classification_fallbacks=[LOCAL],
        allowed_providers=["local", "openai"],
        retries=1,
    )
    answer = ask(gateway)
    assert answer.model == LOCAL
    assert answer.fallbacks_tried == [HOSTED]
    assert fake.models == [HOSTED, HOSTED, LOCAL]
    assert sleeps == [0.5]


def test_all_models_failing_raise_model_unavailable_with_reasons(litellm):
    gateway, _, _ = make(
        litellm,
        {HOSTED: [rate_limited(litellm, HOSTED)], LOCAL: [rate_limited(litellm, LOCAL)]},
        classification_model=HOSTED,
        classification_fallbacks=[LOCAL],
        allowed_providers=["local", "openai"],
        retries=0,
    )
    with pytest.raises(ModelUnavailable) as info:
        ask(gateway)
    message = str(info.value)
    assert HOSTED in message and LOCAL in message and "slow down" in message


def test_schema_violation_falls_back_without_retry(litellm):
    gateway, fake, sleeps = make(
        litellm,
        {HOSTED: [{"currency": "GBP"}], LOCAL: [{"currency": "EUR"}]},
        classification_model=HOSTED,
        classification_fallbacks=[LOCAL],
        allowed_providers=["local", "openai"],
    )
    answer = ask(gateway)
    assert answer.model == LOCAL and answer.data == {"currency": "EUR"}
    assert fake.models == [HOSTED, LOCAL]
    assert sleeps == []
    assert gateway.spent > 0  # the off-schema answer was paid for


@pytest.mark.parametrize("bad", ["not json at all", "[1, 2]", '{"currency": "USD", "x": 1}', "{}"])
def test_schema_violation_of_the_last_model_is_model_unavailable(litellm, bad):
    gateway, _, _ = make(litellm, {LOCAL: [bad]})
    with pytest.raises(ModelUnavailable, match=LOCAL):
        ask(gateway)


def test_disallowed_provider_is_refused_before_any_call(litellm):
    gateway, fake, _ = make(litellm, {HOSTED: [{"currency": "USD"}]}, classification_model=HOSTED)
    with pytest.raises(ModelNotAllowed, match="'openai' is not on the allowlist"):
        ask(gateway)
    assert fake.calls == []


def test_disallowed_model_is_skipped_for_an_allowed_fallback(litellm):
    gateway, fake, _ = make(
        litellm,
        {LOCAL: [{"currency": "USD"}]},
        classification_model=HOSTED,
        classification_fallbacks=[LOCAL],
    )
    assert ask(gateway).model == LOCAL
    assert fake.models == [LOCAL]


def test_budget_refuses_a_call_that_could_exceed_it(litellm):
    gateway, fake, _ = make(
        litellm,
        {HOSTED: [{"currency": "USD"}]},
        classification_model=HOSTED,
        allowed_providers=["openai"],
        budget_usd=Decimal("0.0000001"),
    )
    with pytest.raises(BudgetExceeded, match="budget"):
        ask(gateway)
    assert fake.calls == []


def test_budget_is_spent_across_calls(litellm):
    gateway, _, _ = make(
        litellm,
        {HOSTED: [{"currency": "USD"}] * 3},
        classification_model=HOSTED,
        allowed_providers=["openai"],
        budget_usd=Decimal("0.00004"),
    )
    first = ask(gateway, "doc1")
    assert first.cost > 0 and gateway.spent == first.cost
    with pytest.raises(BudgetExceeded):
        for n in range(2, 10):
            ask(gateway, f"doc{n}")
    assert gateway.spent <= Decimal("0.00004")


def test_local_model_costs_nothing_and_is_never_over_budget(litellm):
    gateway, _, _ = make(litellm, {LOCAL: [{"currency": "USD"}]}, budget_usd=Decimal(0))
    assert ask(gateway).cost == 0


def test_cache_hit_makes_no_model_call(litellm):
    cache = InMemoryModelCache()
    gateway, fake, _ = make(litellm, {LOCAL: [{"currency": "USD"}]}, cache=cache)
    first = ask(gateway)
    second = ask(gateway)
    assert len(fake.calls) == 1
    assert second.cached is True and second.data == first.data and second.cost == 0
    assert cache.get(CacheKey("sha256:doc1", "classification", LOCAL, "classification-v1"))


def test_cache_is_keyed_by_document_and_prompt_version(litellm):
    cache = InMemoryModelCache()
    gateway, fake, _ = make(
        litellm,
        {LOCAL: [{"currency": "USD"}, {"currency": "EUR"}, {"currency": "EUR"}]},
        cache=cache,
    )
    ask(gateway, "doc1")
    assert ask(gateway, "doc2").data == {"currency": "EUR"}
    gateway.complete_json(
        "classification", "p", SCHEMA, prompt_version="classification-v2", cache_key="doc1"
    )
    assert len(fake.calls) == 3


def test_cached_answer_of_a_fallback_model_is_found(litellm):
    cache = InMemoryModelCache()
    answer = ModelAnswer(
        data={"currency": "EUR"},
        step="classification",
        model=LOCAL,
        prompt_version="classification-v1",
    )
    cache.put(CacheKey("sha256:doc1", "classification", LOCAL, "classification-v1"), answer)
    gateway, fake, _ = make(
        litellm,
        {},
        cache=cache,
        classification_model=HOSTED,
        classification_fallbacks=[LOCAL],
        allowed_providers=["openai", "local"],
    )
    assert ask(gateway).cached is True
    assert fake.calls == []


def test_cached_answer_no_longer_valid_is_ignored(litellm):
    cache = InMemoryModelCache()
    stale = ModelAnswer(
        data={"currency": "GBP"},
        step="classification",
        model=LOCAL,
        prompt_version="classification-v1",
    )
    cache.put(CacheKey("sha256:doc1", "classification", LOCAL, "classification-v1"), stale)
    gateway, fake, _ = make(litellm, {LOCAL: [{"currency": "USD"}]}, cache=cache)
    assert ask(gateway).data == {"currency": "USD"}
    assert len(fake.calls) == 1


def test_api_base_per_model_is_passed(litellm):
    gateway, fake, _ = make(
        litellm,
        {"ollama_chat/llama3.2": [{"currency": "USD"}]},
        classification_model="ollama_chat/llama3.2",
        allowed_providers=["ollama_chat"],
        model_api_bases={"ollama_chat/llama3.2": "http://localhost:11434"},
    )
    ask(gateway)
    assert fake.calls[0]["api_base"] == "http://localhost:11434"


def test_importing_the_gateway_does_not_import_litellm():
    import subprocess
    import sys

    code = "import sys, gateway; print('litellm' in sys.modules, 'llama_cpp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_from_settings_uses_a_sqlite_cache_file(tmp_path):
    from gateway.cache import SqliteModelCache

    gateway = LiteLLMGateway.from_settings(cache_file=tmp_path / "cache.sqlite")
    assert isinstance(gateway.cache, SqliteModelCache)
    assert LiteLLMGateway.from_settings().cache is None


def test_reset_budget_starts_a_new_run(litellm):
    gateway, _, _ = make(
        litellm,
        {HOSTED: [{"currency": "USD"}] * 2},
        classification_model=HOSTED,
        allowed_providers=["openai"],
    )
    ask(gateway)
    assert gateway.spent > 0
    gateway.reset_budget()
    assert gateway.spent == 0


def test_raw_newline_inside_a_json_string_is_accepted(litellm):
    schema = {"type": "object", "properties": {"explanation": {"type": "string"}},
              "required": ["explanation"]}
    gateway, _fake, _ = make(litellm, {LOCAL: ['{"explanation": "line one\nline two"}']})
    answer = gateway.complete_json("classification", "p", schema, prompt_version="v",
                                   cache_key="k")
    assert answer.data["explanation"] == "line one\nline two"
