"""UNPLANNED_CHARGE: freight, fee or surcharge not on the PO.

Fires when: on an invoice that bills its own vendor's PO, a line paired with no PO line (as for
UNMATCHED_LINE) is a charge: one of its words starts with an `unplanned_charge_keywords` entry
("Shipping costs", "Fees"), or a keyword of six letters or more occurs inside one of its words
("Bearbeitungsgebühr"); but a line with a SKU whose keyword is followed directly by a noun that
is no charge word ("Shipping labels": `rules.scope.CHARGE_FOLLOWERS`) is goods. One finding per
line, for its amount.
Why it matters: extra charges added by the vendor were not agreed on the PO; usually small and
accepted, but someone must agree to them.
Example: a Kestrel invoice adds "Freight charge" 85.00 to PO-2026-0134: "Line 3 'Freight charge':
charge of 85.00 is not on PO PO-2026-0134".
Policy keys: unplanned_charge_keywords, matching.line_description_score
Does not fire when: the charge is on the PO (a PO line it pairs with, by SKU or description); a
short keyword is only inside a word ("fee" in "coffee": UNMATCHED_LINE); the line is goods
named after a charge word ("HPC-LBL-SHP Shipping labels": UNMATCHED_LINE); there is no PO, it does
not exist or is another vendor's; the invoice is a credit note.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import is_charge, line_label, line_scope, lines_off_po, money

PATTERN = "UNPLANNED_CHARGE"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Extra charges added by the vendor were not agreed on the PO; usually small and
    accepted within policy, but someone must agree to them. Keywords are policy data."""
    po = line_scope(ctx)
    if po is None:
        return
    keywords = ctx.policy.unplanned_charge_keywords
    for index, line in lines_off_po(ctx):
        if not is_charge(line.description, keywords, line.sku):
            continue
        yield ctx.finding(
            f"{line_label(index, line)}: charge of {money(line.amount)} is not "
            f"on PO {po.po_number}",
            amount=line.amount,
            line=index + 1,
            description=line.description,
            po_number=po.po_number,
        )
