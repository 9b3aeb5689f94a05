"""Stand-in remote models for measurements and tests: litellm's `mock_response`, no network.

`MockedModels` replaces `litellm.completion` for the duration of a `with` block: a call to
one of its models is answered by a scripted strategy through litellm's own `mock_response`
(so the response, its usage and cost go through litellm as for a real provider); any other
model (the local one) goes to litellm unchanged.

python -m tools.mock_models --data sample_data --compare local/gemma3-270m openai/gpt-4o-mini
    runs `apx eval` with openai/gpt-4o-mini mocked (any apx arguments work).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Answer = Callable[[dict[str, Any], int], dict[str, Any]]
"""(JSON schema asked for, number of the call) -> the answer."""
OFF_CHOICE = "NOT_ONE_OF_THE_CHOICES"


def first_choice(schema: dict[str, Any], _call: int) -> dict[str, Any]:
    """The first offered choice for every closed field (the deterministic top candidate)."""
    answer: dict[str, Any] = {}
    for name, spec in schema.get("properties", {}).items():
        answer[name] = spec["enum"][0] if "enum" in spec else "Drafted for the reviewer."
    return answer


def off_choice_every(every: int) -> Answer:
    """Like `first_choice`, but every `every`-th call answers outside the offered choices."""
    def answer(schema: dict[str, Any], call: int) -> dict[str, Any]:
        data = first_choice(schema, call)
        if call % every == 0:
            data = {k: OFF_CHOICE if "enum" in spec else data[k]
                    for k, spec in schema.get("properties", {}).items()}
        return data
    return answer


def _priced(response: Any, request: dict[str, Any], text: str) -> Any:
    """Usage and cost as the real model would bill this prompt and answer.

    A mock response reports a fixed 10 + 20 tokens; here the prompt and the answer are
    counted with litellm's tokenizer for the model and priced from litellm's cost map, so the
    tokens and cost (not the latency) of a mocked model are what the real one would show.
    """
    import litellm

    model = request["model"]
    prompt = int(litellm.token_counter(model=model, messages=request["messages"]))
    completion = int(litellm.token_counter(model=model, text=text))
    try:
        cost_in, cost_out = litellm.cost_per_token(model=model, prompt_tokens=prompt,
                                                   completion_tokens=completion)
    except Exception:  # not in the cost map: free, as the gateway records it
        cost_in = cost_out = 0.0
    response.usage = litellm.Usage(prompt_tokens=prompt, completion_tokens=completion,
                                   total_tokens=prompt + completion)
    response._hidden_params["response_cost"] = cost_in + cost_out
    return response


class MockedModels:
    def __init__(self, models: dict[str, Answer]) -> None:
        self.models = models
        self.calls: dict[str, int] = dict.fromkeys(models, 0)
        self._real: Callable[..., Any] | None = None

    def __call__(self, **kwargs: Any) -> Any:
        assert self._real is not None, "use MockedModels in a with block"
        model = kwargs["model"]
        if model not in self.models:
            return self._real(**kwargs)
        self.calls[model] += 1
        schema = kwargs["response_format"]["json_schema"]["schema"]
        text = json.dumps(self.models[model](schema, self.calls[model]))
        return _priced(self._real(**kwargs, mock_response=text), kwargs, text)

    @contextmanager
    def installed(self) -> Iterator[MockedModels]:
        os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        import litellm

        self._real = litellm.completion
        litellm.completion = self
        try:
            yield self
        finally:
            litellm.completion = self._real
            self._real = None


def main(argv: list[str]) -> None:
    """`apx` with openai/gpt-4o-mini (and anthropic/claude-3-5-haiku-20241022) mocked."""
    from apx.cli import app

    providers = os.environ.get("APX_ALLOWED_PROVIDERS", "local")
    os.environ["APX_ALLOWED_PROVIDERS"] = ",".join(
        dict.fromkeys([*providers.split(","), "openai", "anthropic"]))
    mocked = MockedModels({"openai/gpt-4o-mini": first_choice,
                           "anthropic/claude-3-5-haiku-20241022": off_choice_every(4)})
    with mocked.installed():
        app(["eval", *argv], standalone_mode=False)
    print(f"mocked calls: {mocked.calls}")


if __name__ == "__main__":
    main(sys.argv[1:])
