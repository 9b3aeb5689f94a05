"""BILL_TO_MISMATCH: the invoice is addressed to another of our legal entities than its PO."""

from __future__ import annotations

from collections.abc import Iterator

from rapidfuzz import fuzz, utils

from models.findings import Finding
from rules.base import RuleContext

PATTERN = "BILL_TO_MISMATCH"


def _score(bill_to: str, entity: str) -> float:
    # token_set_ratio ignores the address lines printed around the entity's name.
    return float(fuzz.token_set_ratio(bill_to, entity, processor=utils.default_process))


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Booking an invoice in the wrong company misstates both companies' books and tax.

    The bill-to text is compared with the legal entities the master data knows (the POs'
    bill-to names). It fires only when it clearly names another entity: that one reaches
    the policy's score and the PO's own entity does not. An address naming no known
    entity, or an ambiguous one, stays silent.
    """
    po = ctx.match.po
    bill_to = (ctx.invoice.bill_to or "").strip()
    if po is None or not bill_to:
        return
    threshold = ctx.policy.matching.bill_to_score
    if _score(bill_to, po.bill_to) >= threshold:
        return
    scored = [(_score(bill_to, entity), entity) for entity in ctx.master.legal_entities]
    others = [(score, entity) for score, entity in scored if entity != po.bill_to]
    if not others:
        return
    score, entity = max(others)
    if score < threshold:
        return
    yield ctx.finding(
        f"Invoice is addressed to {entity}, but PO {po.po_number} was raised by {po.bill_to}",
        amount=ctx.invoice.total,
        invoice_bill_to=bill_to,
        named_entity=entity,
        po_bill_to=po.bill_to,
        score=f"{score:.0f}",
    )
