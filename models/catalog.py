"""The exception pattern catalog: every pattern an exception can be assigned to (data, not code).

The catalog itself lives in `config/catalog.yaml`; `config.loader` reads it.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from models.findings import Finding, Severity

UNKNOWN_PATTERN = "UNKNOWN_PATTERN"


class Pattern(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    severity: Severity
    fraud_risk: bool
    when: str

    def finding(self, message: str, amount: Decimal | None = None, **evidence: object) -> Finding:
        """A finding of this pattern, with its severity; evidence values become strings."""
        return Finding(
            code=self.id,
            severity=self.severity,
            message=message,
            amount=amount,
            evidence={key: str(value) for key, value in evidence.items() if value is not None},
        )


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
