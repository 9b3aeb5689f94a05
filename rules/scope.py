"""When a rule applies, and how numbers are shown: shared by the modules in `rules/checks/`.

The applicability rules live here once (sample_data/README.md, generate.py): line-level
rules need a PO that exists and belongs to the resolved vendor, and never apply to credit
notes; vendor rules need a resolved vendor; facts about the quoted PO itself (closed,
currency, bill-to, PO date) hold whoever the vendor is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from models.invoice import InvoiceDocument, InvoiceLine
from models.keys import invoice_number_key
from models.master import PoLine, PurchaseOrder, Vendor
from models.matching import BilledSoFar
from rules.base import RuleContext
from rules.matching.text import compact, phrase_key

CENT = Decimal("0.01")


def vendor(ctx: RuleContext) -> Vendor | None:
    """The resolved vendor; None means only vendor-independent rules may fire."""
    return ctx.match.vendor.vendor


def is_credit_note(invoice: InvoiceDocument) -> bool:
    amount = invoice.total if invoice.total is not None else invoice.subtotal
    return amount is not None and amount < 0


def vendor_po(ctx: RuleContext) -> PurchaseOrder | None:
    """The invoice's PO if it exists and is the resolved vendor's own."""
    supplier, po = vendor(ctx), ctx.match.po
    if supplier is None or po is None or po.vendor_id != supplier.vendor_id:
        return None
    return po


def line_scope(ctx: RuleContext) -> PurchaseOrder | None:
    """The PO that line-level rules compare against, or None when they must stay silent."""
    if is_credit_note(ctx.invoice):
        return None
    return vendor_po(ctx)


@dataclass(frozen=True)
class BilledLine:
    """An invoice line matched to a PO line, with what was received on that PO line."""

    index: int
    line: InvoiceLine
    po_line: PoLine
    received: Decimal | None

    @property
    def label(self) -> str:
        return line_label(self.index, self.line)


def billed_lines(ctx: RuleContext) -> Iterator[BilledLine]:
    """The invoice's lines that bill a PO line (in line-scope only: see `line_scope`)."""
    if line_scope(ctx) is None:
        return
    for match in ctx.match.lines:
        if match.po_line is not None:
            line = ctx.invoice.lines[match.line_index]
            yield BilledLine(match.line_index, line, match.po_line, match.received_quantity)


def billed_so_far(ctx: RuleContext) -> dict[int, BilledSoFar]:
    """What earlier invoices (not rejected) billed on each line of the invoice's PO, added
    up by PO line number. An earlier invoice with this invoice's number (normal form) is a
    copy of this very invoice, which DUPLICATE_EXACT handles: it does not count."""
    own = invoice_number_key(ctx.invoice.invoice_number)
    totals: dict[int, BilledSoFar] = {}
    for billing in ctx.billed_before:
        if own and invoice_number_key(billing.invoice_number) == own:
            continue
        so_far = totals.get(billing.po_line_no) or BilledSoFar(po_line_no=billing.po_line_no)
        totals[billing.po_line_no] = so_far.add(billing)
    return totals


def lines_off_po(ctx: RuleContext) -> Iterator[tuple[int, InvoiceLine]]:
    """The invoice's lines that bill no PO line (in line-scope only)."""
    if line_scope(ctx) is None:
        return
    for match in ctx.match.lines:
        if match.po_line is None:
            yield match.line_index, ctx.invoice.lines[match.line_index]


def same_currency(invoice: InvoiceDocument, po: PurchaseOrder) -> bool:
    """An invoice without a currency is read in the PO's currency."""
    return invoice.currency is None or compact(invoice.currency) == compact(po.currency)


def cents(value: Decimal) -> Decimal:
    """Rounded to cents the way invoices print amounts (half up)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def price(value: Decimal) -> str:
    """A unit price: two decimals, or all of them when it has more (4.725 stays 4.725)."""
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return f"{value.normalize():,f}"
    return money(value)


def number(value: Decimal) -> str:
    """A quantity or rate without noise: 10, 2.5, 19 (not 10.000 or 1E+1)."""
    return f"{value.normalize():f}"


def percent(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'))} %"


def line_label(index: int, line: InvoiceLine) -> str:
    return f"Line {index + 1} '{line.description}'"


# Words that may follow a charge keyword in a charge line's description ("Delivery charge",
# "Shipping costs", "Freight to Newark", "Versand nach Köln"): with any other word right after
# it, the keyword names a kind of goods ("Shipping labels", "Delivery van").
# fmt: off
CHARGE_FOLLOWERS = frozenset({
    "charge", "charges", "cost", "costs", "fee", "fees", "surcharge", "rate", "service",
    "kosten", "gebühr", "pauschale", "frais", "gastos", "spese", "toeslag",
    "and", "to", "for", "from", "of", "via", "per", "und", "nach", "von", "für", "et",
    "pour", "de", "par", "y", "a", "para", "por", "e", "da", "en", "naar", "voor", "van",
    "only", "included", "incl", "inkl",
})
# fmt: on


def _names_goods(description: str, keyword_word: str, keywords: list[str]) -> bool:
    """The keyword's word directly followed by a noun that is no charge word: goods named
    after what they are used for ("Shipping labels", "Delivery van", "Handling gloves")."""
    tokens = description.split()
    for token, following in pairwise(tokens):
        if phrase_key(token) != keyword_word or not token[-1:].isalnum():
            continue
        after = phrase_key(following)
        if not following.rstrip(",.;:").isalpha() or after in CHARGE_FOLLOWERS:
            return False
        return not any(after.startswith(k) or (len(k) >= 6 and k in after) for k in keywords)
    return False


def is_charge(description: str, keywords: tuple[str, ...], sku: str | None = None) -> bool:
    """A freight/fee/surcharge line: a policy keyword starts one of its words ("Fees",
    "Shipping costs"); keywords of six letters or more may also end a compound word
    ("Bearbeitungsgebühr"), short ones may not ("fee" is not in "coffee").

    A line with an article number (SKU) whose keyword is followed directly by another noun
    ("HPC-LBL-SHP Shipping labels") is goods, not a charge: the keyword only says what the
    goods are for (CHARGE_FOLLOWERS lists the words that keep it a charge)."""
    words = phrase_key(description).split()
    keys = [k for k in (phrase_key(k) for k in keywords) if k]
    for keyword in keys:
        for word in words:
            if word.startswith(keyword) or (len(keyword) >= 6 and keyword in word):
                if sku and sku.strip() and _names_goods(description, word, keys):
                    continue
                return True
    return False
