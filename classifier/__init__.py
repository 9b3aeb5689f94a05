"""The classification step: one exception pattern per invoice with findings (one model call)."""

from classifier.classify import ClassificationRun, candidates_for, classify, classify_run
from classifier.prompt import PROMPT_VERSION

__all__ = ["PROMPT_VERSION", "ClassificationRun", "candidates_for", "classify", "classify_run"]
