"""The one model call of extraction: a closed choice among candidates found in the document.

The embedded model is a tiny *base* model: it copies short strings well and invents numbers.
So it is asked only about the fields code could not settle, each as a JSON-schema `enum` of
strings printed in the document (plus "" for none); the answer is grounded by construction
and parsed in code. Instructions go in the user text (the local chat format drops system
messages) and the prompt stays short: the top of the document, then the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extractors.amounts import find_amounts
from extractors.context import DocContext
from extractors.dates import find_dates
from models.gateway import DOCUMENT_NOTICE, ModelGateway, ModelUnavailable, quote_document

PROMPT_VERSION = "extract-choice-v2"
PROMPT_LINES = 40
MAX_CANDIDATES = 12
MODEL_FIELDS = ("vendor_name", "invoice_number", "invoice_date", "total")
_QUESTION = {
    "vendor_name": "the vendor (the company that issued this invoice)",
    "invoice_number": "the invoice number",
    "invoice_date": "the invoice date",
    "total": "the total amount due",
}
_ID = re.compile(r"(?<![\w-])[A-Za-z0-9][A-Za-z0-9\-/_.]{1,28}[A-Za-z0-9](?![\w-])")


@dataclass
class Choice:
    """The model's picks (printed strings), or why there are none."""

    answers: dict[str, str]
    calls: int
    error: str | None = None


def id_candidates(ctx: DocContext) -> list[str]:
    """ID-like tokens (a digit, not a date, not an amount) in reading order."""
    out: list[str] = []
    for line in ctx.lines:
        if line.index in ctx.table_lines:
            continue
        for match in _ID.finditer(line.text):
            token = match.group(0)
            if not any(ch.isdigit() for ch in token) or sum(ch.isdigit() for ch in token) < 3:
                continue
            if find_dates(token, ctx.month_first) or re.fullmatch(r"[\d.,]+[.,]\d{2}", token):
                continue
            if token not in out:
                out.append(token)
    return out[:MAX_CANDIDATES]


def date_candidates(ctx: DocContext) -> list[str]:
    out: list[str] = []
    for line in ctx.lines:
        if line.index in ctx.table_lines:
            continue
        for printed, _ in find_dates(line.text, ctx.month_first):
            if printed not in out:
                out.append(printed)
    return out[:MAX_CANDIDATES]


def total_candidates(ctx: DocContext) -> list[str]:
    """Amounts with decimals printed outside the item table, the last ones first."""
    out: list[str] = []
    for line in reversed(ctx.lines):
        if line.index in ctx.table_lines:
            continue
        for printed, _ in reversed(find_amounts(line.text, ctx.decimal_sep)):
            if re.search(r"[.,]\d{2}\b", printed) and printed not in out:
                out.append(printed)
    return out[:MAX_CANDIDATES]


def build_request(ctx: DocContext, candidates: dict[str, list[str]]) -> tuple[str, dict[str, Any]]:
    """(prompt, schema) for the fields in `candidates`, in MODEL_FIELDS order."""
    fields = [f for f in MODEL_FIELDS if f in candidates]
    head = "\n".join(ctx.text.splitlines()[:PROMPT_LINES])
    asked = ", ".join(_QUESTION[f] for f in fields)
    prompt = (
        f"{DOCUMENT_NOTICE}\n{quote_document(head)}\n\n"
        f"Question: in the invoice above, what is {asked}? "
        'Copy each value exactly as printed; answer "" if it is not there.\nJSON answer:'
    )
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f: {"type": "string", "enum": [*candidates[f], ""]} for f in fields},
        "required": fields,
        "additionalProperties": False,
    }
    return prompt, schema


def choose(ctx: DocContext, gateway: ModelGateway, candidates: dict[str, list[str]]) -> Choice:
    """One call; keeps only answers that are among the offered candidates."""
    prompt, schema = build_request(ctx, candidates)
    fields = list(schema["properties"])
    try:
        answer = gateway.complete_json(
            "extraction",
            prompt,
            schema,
            prompt_version=PROMPT_VERSION,
            cache_key=f"{ctx.doc.sha256}:{PROMPT_VERSION}:{','.join(fields)}",
            max_tokens=40 + 30 * len(fields),
        )
    except ModelUnavailable as exc:
        return Choice({}, 1, f"model unavailable: {exc}")
    picks = {
        f: str(answer.data[f])
        for f in fields
        if isinstance(answer.data.get(f), str) and answer.data[f] in candidates[f]
    }
    return Choice(picks, 1)
