"""Which master vendor sent the invoice: tax id first (exact), then the name (fuzzy)."""

from __future__ import annotations

from rapidfuzz import fuzz

from models.invoice import InvoiceDocument
from models.master import MasterData, Vendor
from models.matching import VendorMatch
from models.policy import Matching
from rules.matching.text import compact, name_key

_DEFAULTS = Matching()


def normalise_tax_id(value: str) -> str:
    """Tax ids are printed with spaces, dots and dashes ("DE 123.456.789"); compare them bare."""
    return compact(value)


def _strip_country(tax_id: str) -> str:
    return tax_id[2:] if len(tax_id) > 2 and tax_id[:2].isalpha() else tax_id


def tax_ids_equal(left: str, right: str) -> bool:
    """Equal when normalised, also when one side omits the country prefix ("DE")."""
    a, b = normalise_tax_id(left), normalise_tax_id(right)
    if not a or not b:
        return False
    if a == b:
        return True
    # Only a *missing* prefix is tolerated: DE123 and AT123 are different companies.
    return (a == _strip_country(a) and a == _strip_country(b)) or (
        b == _strip_country(b) and b == _strip_country(a)
    )


def by_tax_id(tax_id: str | None, master: MasterData) -> Vendor | None:
    if not tax_id:
        return None
    for vendor in master.vendors.values():
        if vendor.tax_id and tax_ids_equal(tax_id, vendor.tax_id):
            return vendor
    return None


def _name_scores(key: str, vendor: Vendor) -> list[tuple[float, float, str]]:
    """(WRatio, ratio, "name" | "alias") of a normalised name against one vendor."""
    candidates = [("name", vendor.name)] + [("alias", alias) for alias in vendor.aliases]
    scores: list[tuple[float, float, str]] = []
    for method, candidate in candidates:
        other = name_key(candidate)
        if other:
            scores.append((float(fuzz.WRatio(key, other)), float(fuzz.ratio(key, other)), method))
    return scores


def by_name(
    name: str | None, master: MasterData, min_score: float, prefer: Vendor | None = None
) -> tuple[Vendor, str, float] | None:
    """Best vendor by name or alias: (vendor, "name" | "alias", score), if good enough.

    WRatio tolerates word order and a missing word; ties are broken by the plain ratio so
    that "Acme Office" prefers the vendor called exactly that over "Acme Office Supplies".
    A `prefer`red vendor (the tax id's) wins whenever its own name is good enough, so two
    similarly named vendors do not make a false identity mismatch.
    """
    key = name_key(name or "")
    if not key:
        return None
    if prefer is not None:
        own = max(_name_scores(key, prefer), default=None)
        if own is not None and own[0] >= min_score:
            return prefer, own[2], own[0]
    best: tuple[float, float, str, Vendor] | None = None
    for vendor in sorted(master.vendors.values(), key=lambda v: v.vendor_id):
        for score, tie, method in _name_scores(key, vendor):
            if best is None or (score, tie) > (best[0], best[1]):
                best = (score, tie, method, vendor)
    if best is None or best[0] < min_score:
        return None
    return best[3], best[2], best[0]


def resolve_vendor(
    invoice: InvoiceDocument, master: MasterData, *, thresholds: Matching = _DEFAULTS
) -> VendorMatch:
    """Resolve the vendor; when tax id and name disagree, the tax id wins (it is registered,
    a name is free text), and both are kept so VENDOR_IDENTITY_MISMATCH can report them."""
    taxed = by_tax_id(invoice.vendor_tax_id, master)
    named = by_name(invoice.vendor_name, master, thresholds.vendor_name_score, taxed)
    named_vendor = named[0] if named else None
    if taxed is not None:
        return VendorMatch(
            vendor=taxed, method="tax_id", score=100.0, by_tax_id=taxed, by_name=named_vendor
        )
    if named is not None:
        vendor, method, score = named
        return VendorMatch(
            vendor=vendor,
            method="alias" if method == "alias" else "name",
            score=score,
            by_name=vendor,
        )
    return VendorMatch()
