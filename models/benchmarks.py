"""Industry anchors: published figures a team compares its own numbers with (data, not code)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

Metric = Literal["exception_rate", "touchless_rate", "cycle_time_days", "cost_per_invoice"]


class Anchor(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: Metric
    label: str
    unit: Literal["percent", "days", "usd"]
    average: Decimal
    best_in_class: Decimal
    lower_is_better: bool


class Benchmarks(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    anchors: tuple[Anchor, ...]

    def get(self, metric: Metric) -> Anchor | None:
        return next((anchor for anchor in self.anchors if anchor.metric == metric), None)
