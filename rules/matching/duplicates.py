"""Is an earlier invoice of the vendor this one again? One answer for both duplicate rules.

Invoice numbers compare on their normal form (models.keys.invoice_number_key: no case,
punctuation, "INV"/"Rechnung Nr." words or leading zeros), amounts as numbers:

- same number, same total, dated within `exact_window_days` → exact (a copy: reject);
- same number otherwise (another total, far apart in date, or either unknown) → suspected:
  a re-used or corrected number is for a person to judge, never rejected automatically;
- another number at least `number_similarity` similar, same total, within `window_days`
  → suspected, unless it looks recurring: a later number of the same series dated about a
  month later (`recurring_min_days`..`recurring_max_days`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

from rapidfuzz import fuzz

from models.invoice import InvoiceDocument
from models.keys import compact, invoice_number_key
from models.matching import PriorInvoice
from models.policy import Duplicates

Kind = Literal["exact", "suspected"]


@dataclass(frozen=True)
class DuplicateMatch:
    """An earlier invoice this one may repeat, and why."""

    prior: PriorInvoice
    kind: Kind
    same_number: bool
    same_total: bool
    days_apart: int | None
    similarity: float


def duplicate_matches(
    invoice: InvoiceDocument, vendor_id: str, priors: tuple[PriorInvoice, ...],
    rules: Duplicates,
) -> Iterator[DuplicateMatch]:
    """The earlier invoices of `vendor_id` that this invoice may duplicate, oldest first."""
    number = invoice_number_key(invoice.invoice_number)
    if not number:
        return
    for prior in priors:
        other = invoice_number_key(prior.invoice_number)
        if prior.vendor_id != vendor_id or not other:
            continue
        same_total = _same_amount(invoice, prior)
        days = _days_apart(invoice.invoice_date, prior.invoice_date)
        similarity = 100.0 if other == number else fuzz.ratio(number, other)
        if other == number:
            exact = same_total and days is not None and days <= rules.exact_window_days
            kind: Kind = "exact" if exact else "suspected"
        elif (
            same_total and days is not None and days <= rules.window_days
            and similarity >= rules.number_similarity
            and not _recurring(invoice, number, prior, other, rules)
        ):
            kind = "suspected"
        else:
            continue
        yield DuplicateMatch(prior, kind, other == number, same_total, days, similarity)


def _same_amount(invoice: InvoiceDocument, prior: PriorInvoice) -> bool:
    if invoice.total is None or prior.total is None or invoice.total != prior.total:
        return False
    return not (invoice.currency and prior.currency
                and compact(invoice.currency) != compact(prior.currency))


def _days_apart(first: date | None, second: date | None) -> int | None:
    return abs((first - second).days) if first is not None and second is not None else None


def _recurring(
    invoice: InvoiceDocument, number: str, prior: PriorInvoice, other: str, rules: Duplicates
) -> bool:
    """The next invoice of a series: same stem, a higher sequence number, a month later."""
    if invoice.invoice_date is None or prior.invoice_date is None:
        return False
    stem, sequence = _series(number)
    prior_stem, prior_sequence = _series(other)
    if sequence is None or prior_sequence is None or stem != prior_stem:
        return False
    days = (invoice.invoice_date - prior.invoice_date).days
    if days < 0:  # the earlier-processed invoice is the later one in time
        days, sequence, prior_sequence = -days, prior_sequence, sequence
    in_period = rules.recurring_min_days <= days <= rules.recurring_max_days
    return in_period and sequence > prior_sequence


def _series(key: str) -> tuple[str, int | None]:
    """A number's stem and its trailing sequence number ("2026A0042" → ("2026A", 42))."""
    stem = key.rstrip("0123456789")
    digits = key[len(stem):]
    return stem, int(digits) if digits else None

