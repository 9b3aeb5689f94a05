"""The deterministic decision: what happens to an invoice given its findings and the policy."""

from __future__ import annotations

from decimal import Decimal

from models.catalog import Catalog
from models.completeness import Completeness
from models.findings import Decision, Finding, Outcome
from models.policy import Policy
from rules.scope import money


def decide(
    findings: list[Finding], total: Decimal | None, policy: Policy, catalog: Catalog,
    completeness: Completeness,
) -> Decision:
    """Reject, hold, approve or review, in that order of precedence.

    - any pattern in `routing.reject_on` (a duplicate) → reject: it must never be paid;
    - only patterns in `routing.hold_when_only` (receipt pending) → hold for the event;
    - no findings and a known total ≤ `routing.touchless_max_total` → approve untouched;
    - anything else → review by the role the approval matrix names for the total.
    A missing total is never approved, and nothing is approved untouched unless the
    completeness record says every fact the policy depends on was read and confirmed
    (an empty record counts as nothing confirmed): fail closed whatever the rules found.
    `four_eyes` flags fraud-risk patterns for two distinct reviewers; every decision records
    the policy version that made it.
    """
    routing = policy.routing
    codes = catalog.ranked({item.code for item in findings})
    four_eyes = any(code in routing.four_eyes_on for code in codes)

    def made(outcome: Outcome, reason: str, approver: str | None = None) -> Decision:
        return Decision(
            outcome=outcome,
            reason=reason,
            policy_version=policy.version,
            approver_role=approver,
            four_eyes=four_eyes,
        )

    rejecting = [code for code in codes if code in routing.reject_on]
    if rejecting:
        return made(Outcome.REJECT, f"Rejected by policy: {', '.join(rejecting)}")
    if codes and all(code in routing.hold_when_only for code in codes):
        return made(Outcome.HOLD, f"On hold until resolved: {', '.join(codes)}")

    # No known total: route to the approver without a limit, since nobody can tell the amount.
    approver = policy.approver_for(total) if total is not None else routing.approver_roles[-1].role
    if codes:
        unconfirmed = f" (not confirmed: {completeness.summary()})" if completeness.gaps else ""
        return made(Outcome.REVIEW, f"Needs review: {', '.join(codes)}{unconfirmed}", approver)
    if total is None:
        return made(Outcome.REVIEW, "No findings, but the total could not be read", approver)
    if not completeness.complete:
        missing = completeness.summary() or "nothing was assessed"
        return made(Outcome.REVIEW, f"Not approved untouched: not every fact was confirmed "
                    f"({missing})", approver)
    if total > routing.touchless_max_total:
        return made(
            Outcome.REVIEW,
            f"No findings, but the total {money(total)} is above the touchless limit "
            f"{money(routing.touchless_max_total)}",
            approver,
        )
    return made(Outcome.APPROVE, "No findings and within the touchless limit")
