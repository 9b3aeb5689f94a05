"""What the classification step asks the model, and the texts built without it.

The embedded model is a tiny *base* model: the instructions go in the user text, the answer is
a closed choice (a JSON-schema enum of the candidates) plus a short free-text draft.
Change `PROMPT_VERSION` whenever the prompt or the schema changes (it keys the cache).
"""

from __future__ import annotations

from typing import Any

from models.catalog import UNKNOWN_PATTERN, Catalog
from models.findings import Finding
from models.gateway import DOCUMENT_NOTICE, quote_document

PROMPT_VERSION = "classification-v3"
EXPLANATION_MAX_CHARS = 300
MAX_TOKENS = 330
"""Room for the id and a full 300-character explanation even at one token per character
(digits, IBANs): the grammar can always close the JSON, so a rambling draft is cut by
`maxLength`, not by the token limit (which would make the answer invalid)."""
MAX_FINDINGS_IN_PROMPT = 12
MAX_SUMMARY_CHARS = 600


def title_of(pattern_id: str) -> str:
    """`PRICE_VARIANCE` -> `Price variance`."""
    return pattern_id.replace("_", " ").capitalize()


def describe(catalog: Catalog, pattern_id: str) -> str:
    try:
        return catalog.get(pattern_id).when
    except KeyError:
        return "not in the exception pattern catalog"


def schema_for(candidates: list[str]) -> dict[str, Any]:
    choices = list(dict.fromkeys([*candidates, UNKNOWN_PATTERN]))
    return {
        "type": "object",
        "properties": {
            "pattern": {"type": "string", "enum": choices},
            "explanation": {"type": "string", "maxLength": EXPLANATION_MAX_CHARS},
        },
        "required": ["pattern", "explanation"],
        "additionalProperties": False,
    }


def _one_line(text: str) -> str:
    return " ".join(text.split())


def build_prompt(
    catalog: Catalog, findings: list[Finding], invoice_summary: str, candidates: list[str]
) -> str:
    """The user text: the invoice, its findings, the candidates (deterministic top first).

    The summary and the findings' messages quote the document (its vendor name, number,
    phrases found in it): they go between <document> tags as data, never as instructions.
    """
    summary = _one_line(invoice_summary)[:MAX_SUMMARY_CHARS] or "(no summary)"
    shown = findings[:MAX_FINDINGS_IN_PROMPT]
    quoted = [
        f"Invoice: {summary}",
        "Findings:",
        *(f"- [{f.code}, {f.severity.value}] {_one_line(f.message)}" for f in shown),
    ]
    if len(findings) > len(shown):
        quoted.append(f"- ... and {len(findings) - len(shown)} more")
    lines = [
        "You are an accounts-payable assistant. An invoice could not be paid automatically.",
        "Choose the exception pattern that best describes the main problem, and write one",
        "short sentence for the reviewer.",
        "",
        DOCUMENT_NOTICE,
        quote_document("\n".join(quoted)),
        "",
        "Candidate patterns (most likely first):",
        *(f"- {pid}: {describe(catalog, pid)}" for pid in candidates),
        f"- {UNKNOWN_PATTERN}: {describe(catalog, UNKNOWN_PATTERN)}",
        "",
        'Answer in JSON: {"pattern": one candidate id, "explanation": one short sentence}.',
    ]
    return "\n".join(lines)


def deterministic_explanation(catalog: Catalog, pattern: str, findings: list[Finding]) -> str:
    """The explanation a reviewer reads: the pattern and every finding, written by code."""
    head = f"{title_of(pattern)}: {describe(catalog, pattern)}."
    body = [f"- {_one_line(f.message)} ({f.severity.value})" for f in findings]
    return "\n".join([head, *body])
