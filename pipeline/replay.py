"""Policy replay: re-decide stored invoices under another policy, before it goes live.

A decision is a pure function of the findings, the total, the completeness record and the
policy (`rules.decide.decide`), so replaying needs no document and no model. The findings are
stored; the completeness record is rebuilt from the rules stage's audit event, which names
every fact it could not confirm (`unconfirmed`: {fact: why}); an invoice the rules never
assessed (an unreadable file) has an empty record, exactly as when it was processed.

What replay cannot show: policy keys the *rules* read (tolerances, dates, duplicates,
matching, the high-value threshold, unplanned-charge words) change the findings themselves;
they need the invoices processed again. `policy_differences` names them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from metrics.conformance import InvoiceRef
from metrics.facts import InvoiceFacts
from models.catalog import Catalog
from models.completeness import Completeness, Fact, FactStatus
from models.findings import Decision
from models.policy import Policy
from rules.decide import decide

DECISION_KEYS = ("routing",)
"""Policy sections `decide` reads; every other section (but version and costs) feeds rules."""
IGNORED_KEYS = ("version", "costs")


def completeness_from_audit(unconfirmed: dict[str, str] | None) -> Completeness:
    """The completeness record as the rules stage left it, from its audit event.

    None (nothing assessed) gives the empty record; otherwise every unconfirmed fact is a gap,
    and an invoice without gaps gets one confirmed fact, so it counts as complete.
    """
    if unconfirmed is None:
        return Completeness()
    gaps = tuple(
        Fact(name=name, label=name.replace("_", " "),
             status=FactStatus.MISSING if "not found" in detail else FactStatus.UNCONFIRMED,
             detail=detail, reported_by="EXTRACTION_UNVERIFIED")
        for name, detail in unconfirmed.items())
    if gaps:
        return Completeness(facts=gaps)
    return Completeness(facts=(Fact(name="assessed", label="every fact", reported_by="-",
                                    status=FactStatus.CONFIRMED),))


class ChangedDecision(BaseModel):
    model_config = ConfigDict(frozen=True)

    invoice: InvoiceRef
    before: str
    after: str
    approver_before: str | None
    approver_after: str | None
    four_eyes_before: bool
    four_eyes_after: bool
    reason_after: str

    @property
    def transition(self) -> str:
        """`review → approve`, or `review (ap_clerk → ap_manager)` when only the approver moves."""
        if self.before != self.after:
            return f"{self.before} → {self.after}"
        if self.approver_before != self.approver_after:
            return f"{self.before} ({self.approver_before or '-'} → {self.approver_after or '-'})"
        return f"{self.before} (four eyes {'on' if self.four_eyes_after else 'off'})"


class TransitionTotal(BaseModel):
    model_config = ConfigDict(frozen=True)

    transition: str
    invoices: int
    totals: dict[str, Decimal]
    """Sum of the invoice totals per currency ("?" for invoices without a readable total)."""


class Replay(BaseModel):
    model_config = ConfigDict(frozen=True)

    policy_before: tuple[str, ...]
    policy_after: str
    replayed: int
    skipped: int
    """Invoices without a policy decision to compare with (processing failed)."""
    unchanged: int
    changes: tuple[ChangedDecision, ...]
    transitions: tuple[TransitionTotal, ...]
    outcomes_before: dict[str, int]
    outcomes_after: dict[str, int]
    not_replayed_keys: tuple[str, ...]
    """Changed policy keys that feed the rules: their effect needs re-processing."""


def policy_differences(before: Policy, after: Policy) -> list[str]:
    """Dotted keys whose value differs between two policies (version and costs aside)."""
    return _diff(before.model_dump(mode="json", exclude=set(IGNORED_KEYS)),
                 after.model_dump(mode="json", exclude=set(IGNORED_KEYS)), "")


def _diff(left: object, right: object, prefix: str) -> list[str]:
    if isinstance(left, dict) and isinstance(right, dict):
        keys = sorted(set(left) | set(right))
        return [d for key in keys
                for d in _diff(left.get(key), right.get(key), f"{prefix}{key}.")]
    return [] if left == right else [prefix.rstrip(".")]


def replay(
    facts: Sequence[InvoiceFacts], policy: Policy, catalog: Catalog,
    current: Policy | None = None,
) -> Replay:
    """Re-decide every invoice that has a policy decision; list the decisions that change.

    `current` is the policy in force (to name changed keys the replay cannot show).
    """
    changes: list[ChangedDecision] = []
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    replayed = skipped = 0
    for item in facts:
        if item.apx_decision is None:
            skipped += 1
            continue
        replayed += 1
        decision = decide(list(item.findings), item.total, policy, catalog,
                          completeness_from_audit(item.unconfirmed))
        before[item.apx_decision] += 1
        after[decision.outcome.value] += 1
        if _same(item, decision):
            continue
        changes.append(ChangedDecision(
            invoice=InvoiceRef.of(item), before=item.apx_decision,
            after=decision.outcome.value, approver_before=item.approver_role,
            approver_after=decision.approver_role, four_eyes_before=item.four_eyes,
            four_eyes_after=decision.four_eyes, reason_after=decision.reason))
    not_replayed = [key for key in policy_differences(current, policy)
                    if key.split(".")[0] not in DECISION_KEYS] if current is not None else []
    return Replay(
        policy_before=tuple(sorted({i.policy_version for i in facts if i.policy_version})),
        policy_after=policy.version, replayed=replayed, skipped=skipped,
        unchanged=replayed - len(changes), changes=tuple(changes),
        transitions=tuple(_transitions(changes)), outcomes_before=dict(before),
        outcomes_after=dict(after), not_replayed_keys=tuple(not_replayed))


def _same(item: InvoiceFacts, decision: Decision) -> bool:
    return (item.apx_decision == decision.outcome.value
            and item.approver_role == decision.approver_role
            and item.four_eyes == decision.four_eyes)


def _transitions(changes: list[ChangedDecision]) -> list[TransitionTotal]:
    grouped: dict[str, list[ChangedDecision]] = defaultdict(list)
    for change in changes:
        grouped[change.transition].append(change)
    rows = []
    for transition, items in grouped.items():
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for change in items:
            ref = change.invoice
            if ref.total is None:
                totals["?"] += 0
            else:
                totals[ref.currency or "?"] += ref.total
        rows.append(TransitionTotal(transition=transition, invoices=len(items),
                                    totals=dict(sorted(totals.items()))))
    return sorted(rows, key=lambda row: (-row.invoices, row.transition))
