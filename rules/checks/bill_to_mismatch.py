"""BILL_TO_MISMATCH: addressed to another legal entity than the PO's bill-to.

Fires when: the invoice quotes a PO that exists and states a bill-to; the bill-to scores below
`matching.bill_to_score` against the PO's bill-to entity, while another legal entity of the master
data (the bill-to names found on all POs) reaches that score. The best such entity is named. Scores
are rapidfuzz token_set_ratio, so address lines printed around the entity's name do not count
against it. It holds whoever the vendor is.
Why it matters: booking an invoice in the wrong company misstates both companies' books and their
tax (input VAT reclaimed by the wrong entity); the vendor must re-address the invoice to the
company that ordered.
Example: PO-2026-0121 was raised by APX Demo GmbH; the invoice is addressed to "APX Demo Holdings
Ltd, 1 King Street, London": "Invoice is addressed to APX Demo Holdings Ltd, but PO PO-2026-0121
was raised by APX Demo GmbH".
Policy keys: matching.bill_to_score
Does not fire when: there is no PO or it does not exist; no bill-to was read; the bill-to reaches
the score for the PO's own entity (a variant spelling of it); the bill-to names no known entity (a
typo, an unknown company): only a clear other entity fires.
"""

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
