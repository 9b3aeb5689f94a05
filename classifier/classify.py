"""The classification step: one exception pattern per invoice with findings.

Candidates are narrowed by code first (the catalog ids of the findings, in catalog priority
order); the model only chooses among them (or says UNKNOWN_PATTERN) and drafts a sentence.
Any answer outside the candidates, or no answer, gives the deterministic top candidate.
The explanation a reviewer reads is always built by code; the model's draft is kept apart.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from classifier.prompt import (
    EXPLANATION_MAX_CHARS,
    MAX_TOKENS,
    PROMPT_VERSION,
    build_prompt,
    deterministic_explanation,
    schema_for,
)
from models.catalog import UNKNOWN_PATTERN, Catalog
from models.findings import Classification, Finding
from models.gateway import ModelAnswer, ModelGateway, ModelUnavailable


@dataclass(frozen=True)
class ClassificationRun:
    """The classification, plus what the audit log records of how it was reached."""

    classification: Classification
    answer: ModelAnswer | None = None
    """The model call (model, prompt version, tokens, cost, latency), if one answered."""
    fallback_reason: str | None = None
    """Why the deterministic top candidate was used instead of the model's answer."""


def candidates_for(findings: list[Finding], catalog: Catalog) -> list[str]:
    """Catalog ids of the findings, most important first; UNKNOWN_PATTERN if none is known."""
    known = [f.code for f in findings if f.code in catalog.ids]
    if findings and not known:
        return [UNKNOWN_PATTERN]
    return catalog.ranked(known)


def classify(
    findings: list[Finding],
    invoice_summary: str,
    gateway: ModelGateway | None,
    *,
    catalog: Catalog,
    cache_key: str,
) -> Classification:
    """Assign the invoice's findings to one catalog pattern (at most one model call)."""
    return classify_run(
        findings, invoice_summary, gateway, catalog=catalog, cache_key=cache_key
    ).classification


def classify_run(
    findings: list[Finding],
    invoice_summary: str,
    gateway: ModelGateway | None,
    *,
    catalog: Catalog,
    cache_key: str,
) -> ClassificationRun:
    """`classify`, also returning the model call and any fallback reason for the audit log."""
    if not findings:
        return ClassificationRun(Classification(pattern="", explanation="", source="none"))

    candidates = candidates_for(findings, catalog)
    top = candidates[0]

    def fallback(reason: str, answer: ModelAnswer | None = None) -> ClassificationRun:
        classification = Classification(
            pattern=top,
            explanation=deterministic_explanation(catalog, top, findings),
            source="fallback",
            candidates=candidates,
        )
        return ClassificationRun(classification, answer, reason)

    if gateway is None:
        return fallback("no model gateway")

    prompt = build_prompt(catalog, findings, invoice_summary, candidates)
    # The findings can change for the same document (e.g. a receipt arrives): key the cache
    # by the document *and* the exact question asked.
    question = hashlib.sha256(prompt.encode("utf-8")).hexdigest()[:16]
    try:
        answer = gateway.complete_json(
            "classification",
            prompt,
            schema_for(candidates),
            prompt_version=PROMPT_VERSION,
            cache_key=f"{cache_key}:{question}",
            max_tokens=MAX_TOKENS,
        )
    except ModelUnavailable as exc:
        return fallback(f"model unavailable: {exc}")

    pattern = answer.data.get("pattern")
    if not isinstance(pattern, str) or (pattern not in candidates and pattern != UNKNOWN_PATTERN):
        return fallback(f"model answered {pattern!r}, not one of the candidates", answer)

    draft = answer.data.get("explanation")
    model_explanation = (
        " ".join(draft.split())[:EXPLANATION_MAX_CHARS] if isinstance(draft, str) else ""
    )
    classification = Classification(
        pattern=pattern,
        explanation=deterministic_explanation(catalog, pattern, findings),
        source="model",
        candidates=candidates,
        model_explanation=model_explanation or None,
    )
    return ClassificationRun(classification, answer)
