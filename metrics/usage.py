"""Model use per pipeline step: calls, cache hits, tokens, cost, latency, failures.

Shared by `apx report` (over a period) and `apx eval` (over a labelled run), so both count
the same way: a call is a model answer that was not served from the cache.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from metrics.facts import InvoiceFacts
from metrics.stats import median, quantile
from models.records import ModelCallRecord

STEPS = ("extraction", "classification")


class StepUsage(BaseModel):
    model_config = ConfigDict(frozen=True)

    step: str
    models: tuple[str, ...]
    invoices: int
    """Invoices in scope (the denominator of the per-invoice figures)."""
    calls: int
    """Answers from a model (cache hits not counted)."""
    cache_hits: int
    calls_per_invoice: float | None
    max_calls_per_invoice: int
    prompt_tokens: int
    completion_tokens: int
    tokens_per_call: float | None
    cost: Decimal
    cost_per_invoice: Decimal | None
    latency_median_ms: float | None
    latency_p95_ms: float | None
    failures: int
    """Calls that gave no usable answer (the stage fell back to code)."""
    outside_choices: int
    """Answers outside the offered choices (refused by the schema, or by the classifier)."""


def step_usage(facts: Iterable[InvoiceFacts]) -> list[StepUsage]:
    items = list(facts)
    rows = []
    for step in STEPS:
        calls = [c for item in items for c in item.calls if c.step == step]
        issues = [i for item in items for i in item.issues if i.step == step]
        per_invoice = [sum(1 for c in item.calls if c.step == step and not c.cached)
                       for item in items]
        rows.append(_usage(step, calls, len(items), max(per_invoice, default=0),
                           failures=sum(1 for i in issues if i.failed),
                           outside=sum(1 for i in issues if i.outside_choices)))
    return rows


def _usage(step: str, calls: list[ModelCallRecord], invoices: int, max_per_invoice: int,
           *, failures: int, outside: int) -> StepUsage:
    live = [c for c in calls if not c.cached]
    latencies = [float(c.latency_ms) for c in live]
    prompt = sum(c.prompt_tokens for c in live)
    completion = sum(c.completion_tokens for c in live)
    cost = sum((c.cost for c in live), Decimal(0))
    return StepUsage(
        step=step, models=tuple(sorted({c.model for c in calls})), invoices=invoices,
        calls=len(live), cache_hits=len(calls) - len(live),
        calls_per_invoice=len(live) / invoices if invoices else None,
        max_calls_per_invoice=max_per_invoice, prompt_tokens=prompt,
        completion_tokens=completion,
        tokens_per_call=(prompt + completion) / len(live) if live else None,
        cost=cost, cost_per_invoice=cost / invoices if invoices else None,
        latency_median_ms=median(latencies), latency_p95_ms=quantile(latencies, 0.95),
        failures=failures, outside_choices=outside,
    )
