"""The conformance gap: where the written policy and what people actually do differ.

Each finding comes with the invoices behind it, as the input for the next policy version:
- a rule whose findings reviewers (nearly) always approve as they stand;
- a threshold not applied as written: approval limits people escalate past, price
  variances people accept beyond the tolerance;
- catalog patterns that never occur, and rules that never fire;
- `UNKNOWN_PATTERN` invoices grouped by their findings: what the catalog misses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, ConfigDict

from metrics.facts import InvoiceFacts
from models.catalog import UNKNOWN_PATTERN, Catalog
from models.findings import Severity
from models.policy import Policy

MIN_REVIEWS = 3
"""A pattern of behaviour needs at least this many reviewed invoices to be called one."""
OVERRIDE_SHARE = 0.9
ESCALATION_SHARE = 0.8


class InvoiceRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    invoice_id: str
    label: str
    vendor: str | None
    total: Decimal | None
    currency: str | None
    apx_decision: str | None
    reviewer_decision: str | None = None
    note: str = ""

    @classmethod
    def of(cls, item: InvoiceFacts, note: str = "") -> InvoiceRef:
        review = item.final_review
        return cls(invoice_id=item.invoice_id, label=item.label,
                   vendor=item.vendor_name or item.vendor_id, total=item.total,
                   currency=item.currency, apx_decision=item.apx_decision,
                   reviewer_decision=review.decision if review else None, note=note)


class OverriddenRule(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    reviewed: int
    approved_as_is: int
    share: float
    invoices: tuple[InvoiceRef, ...]


class ThresholdGap(BaseModel):
    model_config = ConfigDict(frozen=True)

    setting: str
    """The policy key, e.g. `routing.approver_roles[ap_clerk].up_to`."""
    written: str
    practice: str
    invoices: tuple[InvoiceRef, ...]


class FindingGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    codes: tuple[str, ...]
    invoices: tuple[InvoiceRef, ...]


class ConformanceGap(BaseModel):
    model_config = ConfigDict(frozen=True)

    reviewed_invoices: int
    overridden_rules: tuple[OverriddenRule, ...]
    thresholds: tuple[ThresholdGap, ...]
    patterns_never_seen: tuple[str, ...]
    rules_never_fired: tuple[str, ...]
    unknown_groups: tuple[FindingGroup, ...]


def conformance_gap(
    facts: Sequence[InvoiceFacts], policy: Policy, catalog: Catalog, rule_patterns: Sequence[str],
) -> ConformanceGap:
    reviewed = [item for item in facts if item.final_review is not None]
    seen_codes = {code for item in facts for code in item.codes}
    seen_primary = {item.primary_pattern for item in facts if item.primary_pattern}
    return ConformanceGap(
        reviewed_invoices=len(reviewed),
        overridden_rules=tuple(overridden_rules(reviewed)),
        thresholds=tuple(approval_limit_gaps(reviewed, policy)
                         + price_tolerance_gaps(reviewed, policy)),
        patterns_never_seen=tuple(p for p in catalog.ids
                                  if p not in seen_codes and p not in seen_primary),
        rules_never_fired=tuple(sorted(set(rule_patterns) - seen_codes)),
        unknown_groups=tuple(unknown_groups(facts)),
    )


def overridden_rules(reviewed: Sequence[InvoiceFacts]) -> list[OverriddenRule]:
    """Codes whose invoices reviewers approve as they stand in ≥ 90 % of ≥ 3 cases.

    Info findings are left out: they route an invoice to an approver (HIGH_VALUE), and the
    approver approving it is the policy working, not a rule overridden.
    """
    by_code: dict[str, list[InvoiceFacts]] = defaultdict(list)
    for item in reviewed:
        # an info finding (HIGH_VALUE) routes the invoice to a role; approving is its point
        for code in sorted({f.code for f in item.findings if f.severity is not Severity.INFO}):
            by_code[code].append(item)
    rows = []
    for code, items in by_code.items():
        approved = [item for item in items
                    if item.final_review is not None and item.final_review.overrides_findings]
        share = len(approved) / len(items)
        if len(items) >= MIN_REVIEWS and share >= OVERRIDE_SHARE:
            rows.append(OverriddenRule(
                code=code, reviewed=len(items), approved_as_is=len(approved), share=share,
                invoices=tuple(InvoiceRef.of(item) for item in items)))
    return sorted(rows, key=lambda row: (-row.share, -row.reviewed, row.code))


def approval_limit_gaps(reviewed: Sequence[InvoiceFacts], policy: Policy) -> list[ThresholdGap]:
    """Invoices a role may approve by the policy, decided by a higher role in practice."""
    roles = [role.role for role in policy.routing.approver_roles]
    limits = {role.role: role.up_to for role in policy.routing.approver_roles}
    gaps = []
    for role in roles:
        # four eyes asks a second, often senior, person by design: not an escalation
        items = [item for item in reviewed if item.approver_role == role
                 and not item.four_eyes
                 and item.final_review is not None and item.final_review.role in roles]
        if len(items) < MIN_REVIEWS:
            continue
        escalated = [item for item in items if item.final_review is not None
                     and roles.index(item.final_review.role or role) > roles.index(role)]
        if not escalated or (len(escalated) / len(items) < ESCALATION_SHARE
                             and not _clean_cut(items, escalated)):
            continue
        deciders = sorted({item.final_review.role for item in escalated
                           if item.final_review is not None and item.final_review.role})
        totals = [item.total for item in escalated if item.total is not None]
        kept = [item.total for item in items if item not in escalated and item.total is not None]
        low = min(totals) if totals else None
        practice = (f"{len(escalated)} of {len(items)} were decided by "
                    f"{' / '.join(deciders)} instead")
        if low is not None:
            practice += f", totals {_money(low)} to {_money(max(totals))}"
        if kept and low is not None and max(kept) < low:
            practice += (f"; the {len(kept)} up to {_money(max(kept))} stayed with {role}: "
                         f"in practice the limit is about {_money(low)}")
        limit = limits[role]
        gaps.append(ThresholdGap(
            setting=f"routing.approver_roles[{role}].up_to",
            written=f"{role} approves up to {_money(limit) if limit is not None else 'any total'}",
            practice=practice,
            invoices=tuple(InvoiceRef.of(item, note=f"decided by {item.final_review.role}")
                           for item in escalated if item.final_review is not None)))
    return gaps


def _clean_cut(items: list[InvoiceFacts], escalated: list[InvoiceFacts]) -> bool:
    """Every invoice above some total went up, none below: a limit nobody wrote down."""
    if len(escalated) < MIN_REVIEWS:
        return False
    up = [item.total for item in escalated if item.total is not None]
    kept = [item.total for item in items if item not in escalated and item.total is not None]
    return bool(up) and (not kept or max(kept) < min(up))


def price_tolerance_gaps(reviewed: Sequence[InvoiceFacts], policy: Policy) -> list[ThresholdGap]:
    """PRICE_VARIANCE findings approved as they stand well beyond the written tolerance."""
    tolerance = policy.tolerances.unit_price_percent
    approved: list[tuple[Decimal, InvoiceFacts]] = []
    refused: list[tuple[Decimal, InvoiceFacts]] = []
    for item in reviewed:
        review = item.final_review
        variances = [v for f in item.findings if f.code == "PRICE_VARIANCE"
                     if (v := _variance(f.evidence)) is not None]
        if review is None or not variances:
            continue
        if review.overrides_findings:
            approved.append((max(variances), item))
        elif review.decision in ("reject", "hold"):
            refused.append((max(variances), item))
    if len(approved) < MIN_REVIEWS:
        return []
    top = max(v for v, _ in approved)
    practice = (f"{len(approved)} price variances were approved as billed, up to {top:.1f} % "
                f"above the PO price")
    if refused:
        practice += (f"; {len(refused)} rejected or held, from "
                     f"{min(v for v, _ in refused):.1f} %")
    return [ThresholdGap(
        setting="tolerances.unit_price_percent", written=f"{tolerance} % above the PO price",
        practice=practice,
        invoices=tuple(InvoiceRef.of(item, note=f"+{v:.1f} %")
                       for v, item in sorted(approved, key=lambda pair: pair[0])))]


def _variance(evidence: dict[str, str]) -> Decimal | None:
    try:
        billed = Decimal(evidence["invoice_unit_price"])
        agreed = Decimal(evidence["po_unit_price"])
    except (KeyError, InvalidOperation):
        return None
    return (billed - agreed) / agreed * 100 if agreed > 0 else None


def unknown_groups(facts: Sequence[InvoiceFacts]) -> list[FindingGroup]:
    groups: dict[tuple[str, ...], list[InvoiceFacts]] = defaultdict(list)
    for item in facts:
        if item.primary_pattern == UNKNOWN_PATTERN:
            groups[item.codes].append(item)
    return [FindingGroup(codes=codes, invoices=tuple(InvoiceRef.of(item) for item in items))
            for codes, items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"
