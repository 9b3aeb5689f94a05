"""Phrases that address an automated reader instead of a person: data for SUSPICIOUS_CONTENT.

The lists live in `config/suspicious_content.yaml`, one section per language; `config.loader`
reads them and the pipeline hands them to the rules through `RuleContext`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

GAP = "*"
"""In a phrase, a word `*` stands for a few words of any text in between."""


class InstructionPhrases(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    languages: dict[str, tuple[str, ...]] = Field(
        description="language code -> phrases; `*` between words: a few other words between"
    )

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every language's phrases, each once, in file order."""
        return tuple(dict.fromkeys(p for group in self.languages.values() for p in group))
