"""Policy replay: stored findings re-decided under another policy, no document needed."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from config.loader import load_catalog, load_policy
from metrics.facts import InvoiceFacts
from models.findings import Finding, Severity
from models.policy import ApproverRole
from pipeline.replay import completeness_from_audit, policy_differences, replay
from rules.decide import decide

POLICY = load_policy()
CATALOG = load_catalog()
T0 = datetime(2026, 11, 2, tzinfo=UTC)


def facts(invoice_id: str, codes: tuple[str, ...] = (), total: str | None = "100.00",
          unconfirmed: dict[str, str] | None = None, **extra: Any) -> InvoiceFacts:
    """An invoice as the pipeline left it: APX's decision is what `decide` said then."""
    findings = tuple(Finding(code=c, severity=Severity.MEDIUM, message=c) for c in codes)
    amount = Decimal(total) if total is not None else None
    unconfirmed = {} if unconfirmed is None else unconfirmed
    decision = decide(list(findings), amount, POLICY, CATALOG,
                      completeness_from_audit(unconfirmed))
    return InvoiceFacts.model_validate({
        "invoice_id": invoice_id, "file_name": f"{invoice_id}.pdf", "status": "decided",
        "received_at": T0, "apx_decision": decision.outcome.value, "apx_decided_at": T0,
        "approver_role": decision.approver_role, "four_eyes": decision.four_eyes,
        "policy_version": POLICY.version, "findings": findings, "total": amount,
        "currency": "EUR", "unconfirmed": unconfirmed, **extra})


def test_completeness_is_rebuilt_from_the_rules_audit_event() -> None:
    assert completeness_from_audit({}).complete
    gaps = completeness_from_audit({"invoice_number": "not found on the document",
                                    "total": "picked by the model"})
    assert not gaps.complete and [f.name for f in gaps.gaps] == ["invoice_number", "total"]
    assert "invoice number: not found" in gaps.summary()
    nothing = completeness_from_audit(None)  # an unreadable file was never assessed
    assert not nothing.complete and not nothing.facts


def test_the_same_policy_changes_nothing() -> None:
    items = [facts("clean"), facts("price", ("PRICE_VARIANCE",), total="6000.00"),
             facts("dup", ("DUPLICATE_EXACT",)), facts("hold", ("RECEIPT_PENDING",)),
             facts("gap", unconfirmed={"vendor": "matched by name only"}),
             facts("unreadable", ("UNREADABLE_DOCUMENT",), total=None, unconfirmed=None)]
    result = replay(items, POLICY, CATALOG, current=POLICY)
    assert (result.replayed, result.unchanged, result.changes) == (6, 6, ())
    assert result.not_replayed_keys == ()


def test_a_lower_clerk_limit_reroutes_reviews_with_totals() -> None:
    roles = (ApproverRole(role="ap_clerk", up_to=Decimal("5000.00")),
             *POLICY.routing.approver_roles[1:])
    stricter = POLICY.model_copy(update={
        "version": "next", "routing": POLICY.routing.model_copy(update={"approver_roles": roles})})
    items = [facts("small", ("PRICE_VARIANCE",), total="900.00"),
             facts("a", ("PRICE_VARIANCE",), total="6000.00"),
             facts("b", ("PAYMENT_TERMS_MISMATCH",), total="7000.50"),
             facts("clean", total="8000.00")]
    result = replay(items, stricter, CATALOG, current=POLICY)
    assert result.policy_after == "next" and result.unchanged == 2
    assert [c.invoice.invoice_id for c in result.changes] == ["a", "b"]
    [row] = result.transitions
    assert row.transition == "review (ap_clerk → ap_manager)"
    assert (row.invoices, row.totals) == (2, {"EUR": Decimal("13000.50")})


def test_routing_changes_outcomes_and_rule_keys_are_named_not_replayed() -> None:
    routing = POLICY.routing.model_copy(update={
        "hold_when_only": ("RECEIPT_PENDING", "PAYMENT_TERMS_MISMATCH")})
    changed = POLICY.model_copy(update={
        "routing": routing,
        "tolerances": POLICY.tolerances.model_copy(update={"unit_price_percent": Decimal(5)})})
    items = [facts("terms", ("PAYMENT_TERMS_MISMATCH",)), facts("skip", apx_decision=None)]
    items[1] = items[1].model_copy(update={"apx_decision": None})
    result = replay(items, changed, CATALOG, current=POLICY)
    assert result.skipped == 1
    assert [(c.before, c.after) for c in result.changes] == [("review", "hold")]
    assert result.outcomes_after == {"hold": 1}
    assert result.not_replayed_keys == ("tolerances.unit_price_percent",)
    assert policy_differences(POLICY, changed) == ["routing.hold_when_only",
                                                   "tolerances.unit_price_percent"]
