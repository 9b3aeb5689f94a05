"""The exception pattern catalog, loaded from `catalog.yaml` (data, not code)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from models.findings import Severity

CATALOG_FILE = Path(__file__).with_name("catalog.yaml")
POLICY_FILE = Path(__file__).with_name("policy.yaml")
UNKNOWN_PATTERN = "UNKNOWN_PATTERN"


class Pattern(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    severity: Severity
    fraud_risk: bool
    when: str


class Catalog(BaseModel):
    model_config = ConfigDict(frozen=True)

    patterns: tuple[Pattern, ...]

    def get(self, pattern_id: str) -> Pattern:
        for pattern in self.patterns:
            if pattern.id == pattern_id:
                return pattern
        raise KeyError(f"{pattern_id} is not in the exception pattern catalog")

    def priority(self, pattern_id: str) -> int:
        """Lower is more important; unknown ids sort last."""
        for index, pattern in enumerate(self.patterns):
            if pattern.id == pattern_id:
                return index
        return len(self.patterns)

    def ranked(self, pattern_ids: set[str] | list[str]) -> list[str]:
        return sorted(set(pattern_ids), key=self.priority)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(pattern.id for pattern in self.patterns)


@cache
def load_catalog(path: Path = CATALOG_FILE) -> Catalog:
    with path.open(encoding="utf-8") as handle:
        return Catalog.model_validate(yaml.safe_load(handle))
