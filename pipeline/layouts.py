"""Learned vendor layouts in the pipeline: know the vendor before extraction, count how its
layout fits, and learn a layout from a confirmed invoice.

Extraction cannot wait for vendor resolution (it needs the extracted tax id), so the page is
first searched for a vendor-master tax id or IBAN, printed in any spacing: exactly one
vendor's means its layout (if it has one) is offered to extraction. Rules still resolve the
vendor from what was extracted, and a value the layout read counts as confirmed only when
they resolve the same vendor by its tax id (rules/completeness.py).

An invoice's extraction is confirmed, and teaches its vendor's layout, when its completeness
record is complete, its vendor was identified by tax id, its PO was matched and no rule
raised a finding (so never from a credit note or a document that may be forged); or when a
person confirms it (`apx layouts confirm`, later the review form), corrections included.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.learned import learn
from extractors.pdf import UnreadableDocument
from extractors.source import read_source
from models.completeness import Completeness
from models.documents import ParsedDocument
from models.findings import Finding
from models.invoice import Extraction, FieldSource, InvoiceDocument
from models.layouts import FieldRule, VendorLayout
from models.master import MasterData, Vendor
from models.matching import MatchResult
from pipeline.runtime import Runtime
from store.repository import Store

AUTO_CONFIRMED = "apx: complete, vendor by tax id, PO matched, no finding"
_SEPARATOR = r"[\s.\-/]?"
MIN_ID_CHARS = 6  # shorter ids would be found inside unrelated numbers


class LayoutError(ValueError):
    """A layout cannot be learned from this invoice; the message says why."""


def _printed(identifier: str, country_optional: bool) -> str | None:
    chars = [ch for ch in identifier.upper() if ch.isalnum()]
    if len(chars) < MIN_ID_CHARS:
        return None
    prefix = ""
    if country_optional and chars[0].isalpha() and chars[1].isalpha():
        prefix, chars = f"(?:{chars[0]}{_SEPARATOR}{chars[1]}{_SEPARATOR})?", chars[2:]
    return prefix + _SEPARATOR.join(re.escape(ch) for ch in chars)


@lru_cache(maxsize=8)
def _finder(
    vendors: tuple[tuple[str, str | None, str | None], ...],
) -> tuple[re.Pattern[str], tuple[tuple[str, str], ...]] | None:
    """One pattern for every vendor's tax id and IBAN, and (vendor id, kind) per group."""
    parts, owners = [], []
    for vendor_id, tax_id, iban in vendors:
        for kind, identifier in (("tax_id", tax_id), ("iban", iban)):
            pattern = _printed(identifier, kind == "tax_id") if identifier else None
            if pattern is not None:
                parts.append(f"({pattern})")
                owners.append((vendor_id, kind))
    if not parts:
        return None
    joined = "|".join(parts)
    return re.compile(rf"(?<![A-Z0-9])(?:{joined})(?![A-Z0-9])", re.IGNORECASE), tuple(owners)


def candidate_vendor(text: str, master: MasterData) -> Vendor | None:
    """The one vendor whose tax id (else IBAN) the text prints; None if none or several."""
    finder = _finder(tuple((v.vendor_id, v.tax_id, v.iban)
                           for v in sorted(master.vendors.values(), key=lambda v: v.vendor_id)))
    if finder is None:
        return None
    pattern, owners = finder
    found: dict[str, set[str]] = {"tax_id": set(), "iban": set()}
    for match in pattern.finditer(text):
        vendor_id, kind = owners[(match.lastindex or 1) - 1]
        found[kind].add(vendor_id)
    for kind in ("tax_id", "iban"):
        if found[kind]:
            return master.vendors[next(iter(found[kind]))] if len(found[kind]) == 1 else None
    return None


def layout_for_document(rt: Runtime, document: ParsedDocument) -> VendorLayout | None:
    """The learned layout of the vendor the page names by tax id or IBAN, if any."""
    vendor = candidate_vendor(document.text, rt.master)
    return rt.store.layout_for(vendor.vendor_id) if vendor is not None else None


def record_use(rt: Runtime, invoice_id: str, extraction: Extraction) -> None:
    """Count whether the layout fitted where it was needed; drop it after too many misses."""
    use = extraction.layout
    if use is None or not use.needed:
        return  # labels, the table and the arithmetic settled everything: nothing to count
    limit = rt.policy.layouts.drop_after_misses
    outcome = rt.store.record_layout_use(use, invoice_id, limit)
    detail: dict[str, object] = {
        "vendor_id": use.vendor_id, "version": use.version, "needed": list(use.needed),
        "read": list(use.read), "missed": use.missed,
    }
    if outcome == "dropped":
        detail["reason"] = f"did not fit {limit} invoices in a row"
        detail["policy_version"] = rt.policy.version
    rt.store.audit(invoice_id, f"layout.{outcome}", "apx", detail)


def _printed_page(extraction: Extraction) -> bool:
    return FieldSource.XML not in extraction.sources.values() and not extraction.discrepancies


def learn_if_confirmed(
    rt: Runtime, invoice_id: str, document: ParsedDocument, extraction: Extraction,
    match: MatchResult, completeness: Completeness, findings: Sequence[Finding],
) -> VendorLayout | None:
    """Learn the vendor's layout from an invoice whose extraction the checks confirmed."""
    vendor = match.vendor.vendor
    if not (_printed_page(extraction) and completeness.complete and vendor is not None
            and match.vendor.method == "tax_id" and match.po is not None):
        return None
    if findings:  # a person looks at it; approving or correcting it confirms it then
        return None
    found = candidate_vendor(document.text, rt.master)
    if found is None or found.vendor_id != vendor.vendor_id:
        return None  # its next invoices could not be recognised before extraction
    learned = learn(document, extraction.invoice, extraction.locations)
    if not learned.rules:
        return None
    return _save(rt.store, invoice_id, vendor.vendor_id, learned.rules, AUTO_CONFIRMED, "apx",
                 learned.unplaced)


def _save(store: Store, invoice_id: str, vendor_id: str, rules: tuple[FieldRule, ...],
          confirmed_by: str, actor: str, unplaced: Mapping[str, str]) -> VendorLayout:
    before = store.layout_for(vendor_id)
    saved = store.save_layout(VendorLayout(vendor_id=vendor_id, rules=rules,
                                           learned_from=invoice_id, confirmed_by=confirmed_by))
    changed = before is None or before.version != saved.version
    store.audit(invoice_id, "layout.learned" if changed else "layout.confirmed", actor, {
        "vendor_id": vendor_id, "version": saved.version, "confirmations": saved.confirmations,
        "confirmed_by": confirmed_by, "rules": [rule.describe() for rule in saved.rules],
        "not_placed": dict(unplaced),
    })
    return saved


@dataclass(frozen=True)
class Confirmed:
    layout: VendorLayout
    unplaced: dict[str, str]
    """Confirmed values that are not printed where a layout could find them."""


def confirm(
    store: Store, master: MasterData, invoice_id: str, confirmed_by: str,
    corrections: Mapping[str, Any] | None = None,
) -> Confirmed:
    """A person confirms an invoice's extraction (with `corrections` of wrong fields): its
    vendor's layout is learned from it. The invoice's own state and decision do not change.

    Raises LayoutError when the invoice cannot teach one (no extraction, read from XML, no
    vendor-master tax id or IBAN on its page, nothing placeable).
    """
    row = store.invoice(invoice_id)
    if row is None:
        raise LayoutError(f"no invoice {invoice_id}")
    if row.extraction is None:
        raise LayoutError(f"{row.file_name} has no extraction to confirm ({row.status})")
    extraction = Extraction.model_validate(row.extraction)
    if not _printed_page(extraction):
        raise LayoutError(f"{row.file_name} was read from its e-invoice XML: it needs no layout")
    stored = store.stored_document(invoice_id)
    if stored is None:
        raise LayoutError(f"the original of {row.file_name} is not kept")
    try:
        document = read_source(Path(stored[1]), stored[0]).document
    except (UnreadableDocument, OSError) as error:
        raise LayoutError(f"the original of {row.file_name} cannot be read again: {error}") \
            from error
    vendor = candidate_vendor(document.text, master)
    if vendor is None:
        raise LayoutError(
            f"{row.file_name} prints no tax id or IBAN of exactly one vendor-master vendor, so "
            "APX could not recognise its vendor's next invoices before reading them")
    if row.vendor_id is not None and row.vendor_id != vendor.vendor_id:
        raise LayoutError(f"{row.file_name} was matched to vendor {row.vendor_id} but prints "
                          f"the tax id or IBAN of {vendor.vendor_id}")
    invoice, locations = extraction.invoice, dict(extraction.locations)
    if corrections:
        unknown = sorted(set(corrections) - set(InvoiceDocument.model_fields))
        if unknown:
            raise LayoutError(f"no such invoice field: {', '.join(unknown)}")
        invoice = InvoiceDocument.model_validate({**invoice.model_dump(), **corrections})
        for name in corrections:
            locations.pop(name, None)
    learned = learn(document, invoice, locations)
    if not learned.rules:
        raise LayoutError(f"none of {row.file_name}'s values could be placed on its page")
    layout = _save(store, invoice_id, vendor.vendor_id, learned.rules, confirmed_by,
                   confirmed_by, learned.unplaced)
    return Confirmed(layout, dict(learned.unplaced))
