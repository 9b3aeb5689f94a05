"""Who may decide an invoice in review: pure functions, no store, no Prefect.

- A reviewer is known by name and a personal code, kept only as a salted scrypt hash.
- Approving needs at least the role the policy's approval matrix names for the total
  (`routing.approver_roles`; escalation may raise it).
- Fraud-risk patterns (`four_eyes`) need two different reviewers' approvals.
- A reviewer who corrected the invoice cannot approve it alone: someone who did not
  correct it must approve too. A correction voids the approvals given before it.
- Rejecting and holding need a reason; any registered reviewer may reject or hold.
- An unanswered review goes to the next role after `review.escalate_after_minutes`.
- Shadow mode sends every invoice to review, with the policy's own outcome as the proposal.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from models.findings import Decision, Outcome
from models.policy import Policy
from models.review import (
    AMOUNT_FIELDS,
    CORRECTABLE_FIELDS,
    Judgement,
    ReviewCase,
    Reviewer,
    Submission,
    Verdict,
)

AMOUNT_PATTERN = r"^-?[0-9]{1,12}([.][0-9]{1,4})?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


# -- personal codes ---------------------------------------------------------------------------

def new_code(length: int = 12) -> str:
    """A random personal code, grouped for reading: 'K7QM-3XPA-9TRW'."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    return "-".join(raw[i:i + 4] for i in range(0, length, 4))


def _normal_code(code: str) -> bytes:
    return re.sub(r"[\s-]", "", code).upper().encode("utf-8")


def hash_code(code: str, *, salt: bytes | None = None) -> str:
    """'scrypt$n$r$p$salt$digest' (base64): what the registry stores instead of the code."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(_normal_code(code), salt=salt, dklen=32, **_SCRYPT)
    encode = base64.urlsafe_b64encode
    return (f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}$"
            f"{encode(salt).decode()}${encode(digest).decode()}")


def verify_code(code: str, stored: str) -> bool:
    """Constant-time comparison of a typed code with a stored hash; malformed hashes fail."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.urlsafe_b64decode(digest)
        actual = hashlib.scrypt(_normal_code(code), salt=base64.urlsafe_b64decode(salt),
                                n=int(n), r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# -- roles ------------------------------------------------------------------------------------

def roles(policy: Policy) -> tuple[str, ...]:
    """The approver roles from lowest to highest authority, as the policy lists them."""
    return tuple(item.role for item in policy.routing.approver_roles)


def rank(policy: Policy, role: str | None) -> int:
    """A role's authority (0 = lowest); -1 for a role the policy does not know."""
    known = roles(policy)
    return known.index(role) if role in known else -1


def higher(policy: Policy, first: str, second: str) -> str:
    return first if rank(policy, first) >= rank(policy, second) else second


def required_role(policy: Policy, total: Decimal | None, floor: str | None = None) -> str:
    """Who may approve this total (unknown total: the highest role), never below `floor`."""
    needed = policy.approver_for(total) if total is not None else roles(policy)[-1]
    return higher(policy, needed, floor) if floor else needed


# -- one submission ---------------------------------------------------------------------------

def parse_corrections(raw: Mapping[str, str]) -> tuple[dict[str, str | Decimal | None], list[str]]:
    """Typed corrections from form text, and the problems found. Blank means 'no change'."""
    parsed: dict[str, str | Decimal | None] = {}
    problems: list[str] = []
    for field, value in raw.items():
        text = value.strip()
        if not text:
            continue
        if field not in CORRECTABLE_FIELDS:
            problems.append(f"'{field}' cannot be corrected here")
        elif field in AMOUNT_FIELDS:
            if not re.fullmatch(AMOUNT_PATTERN, text):
                problems.append(f"{field} '{text}' is not an amount like 1234.50")
                continue
            try:
                parsed[field] = Decimal(text)
            except InvalidOperation:
                problems.append(f"{field} '{text}' is not an amount like 1234.50")
        elif field == "invoice_date":
            try:
                parsed[field] = date.fromisoformat(text).isoformat()
            except ValueError:
                problems.append(f"invoice_date '{text}' is not a date like 2026-11-20")
        else:
            parsed[field] = text
    return parsed, problems


def judge(
    case: ReviewCase,
    submission: Submission,
    reviewer: Reviewer | None,
    policy: Policy,
) -> Judgement:
    """Accept or refuse one submission, and say what it means for the invoice.

    `reviewer` is the registry entry for the submitted name (None: unknown); the code is
    checked here against its hash. A refused submission changes nothing.
    """
    corrections, problems = parse_corrections(submission.corrections)
    corrected_total = corrections.get("total")
    total = corrected_total if isinstance(corrected_total, Decimal) else case.total
    needed = required_role(policy, total, floor=case.required_role)

    def refuse(message: str) -> Judgement:
        return Judgement(verdict=Verdict.REFUSED, message=message, required_role=case.required_role,
                         reviewer_role=reviewer.role if reviewer else None,
                         approvers=case.approvers)

    if case.status != "waiting":
        return refuse(f"This invoice was already {case.status}; nothing was changed.")
    if (reviewer is None or not reviewer.active
            or not verify_code(submission.code, reviewer.code_hash)):
        return refuse("Reviewer name or personal code not recognised. Nothing was recorded; "
                      "enter your name and code as `apx reviewers add` printed them.")
    if problems:
        return refuse("Corrections not accepted: " + "; ".join(problems) + ".")
    if submission.action in {"reject", "hold"} and not submission.reason.strip():
        return refuse(f"A reason is required to {submission.action} an invoice.")

    name, role = reviewer.name, reviewer.role

    def made(verdict: Verdict, message: str, approvers: Iterable[str] = ()) -> Judgement:
        return Judgement(verdict=verdict, message=message, required_role=needed,
                         reviewer_role=role, corrections=corrections,
                         approvers=tuple(approvers))

    # A correction changes what was approved before: earlier approvals no longer count.
    prior = () if corrections else case.approvers
    if submission.action == "reject":
        return made(Verdict.REJECTED, f"Rejected by {name} ({role}): {submission.reason.strip()}")
    if submission.action == "hold":
        return made(Verdict.HELD, f"On hold by {name} ({role}): {submission.reason.strip()}",
                    prior)

    missing = [item for item in case.missing_for_posting
               if not (item == "a total" and isinstance(corrected_total, Decimal))]
    if missing:
        lacking = " and ".join(missing)
        return refuse(f"This invoice cannot be approved: it lacks {lacking}, so it cannot be "
                      f"posted. Correct it or reject it.")
    if rank(policy, role) < rank(policy, needed):
        amount = f"a total of {total}" if total is not None else "an unknown total"
        return refuse(f"{name} is {role}; approving {amount} needs {needed} or above "
                      f"(policy {policy.version}). Not approved.")
    if name in prior:
        return refuse(f"{name} has already approved this invoice; a second, different "
                      f"reviewer must approve it (four eyes).")
    approvers = (*prior, name)
    correctors = set(case.correctors) | ({name} if corrections else set())
    wanted = 2 if case.four_eyes else 1
    if len(approvers) < wanted:
        return made(Verdict.APPROVAL_RECORDED,
                    f"Approval by {name} ({role}) recorded. This pattern is a fraud risk: a "
                    f"second, different reviewer ({needed} or above) must approve too.",
                    approvers)
    if not set(approvers) - correctors:
        return made(Verdict.APPROVAL_RECORDED,
                    f"Approval by {name} ({role}) recorded. {name} corrected this invoice and "
                    f"cannot approve it alone: another reviewer ({needed} or above) must "
                    f"approve too.", approvers)
    return made(Verdict.APPROVED, f"Approved by {' and '.join(approvers)}.", approvers)


def agreed_with(proposal: str | None, verdict: Verdict) -> bool | None:
    """Shadow mode: did the final human decision match what APX proposed? None: no proposal."""
    if proposal is None or proposal == Outcome.REVIEW.value or not verdict.final:
        return None
    return (proposal, verdict) in {("approve", Verdict.APPROVED), ("reject", Verdict.REJECTED)}


# -- escalation -------------------------------------------------------------------------------

def escalation(case: ReviewCase, policy: Policy, now: datetime) -> str | None:
    """The role a waiting review goes to now, or None when it is not yet due (or at the top).

    Due when it waited `review.escalate_after_minutes` since it was opened or last
    escalated; each escalation moves it one role up the approval matrix.
    """
    if case.status != "waiting":
        return None
    since = case.escalated_at or case.opened_at
    if now - since < timedelta(minutes=policy.review.escalate_after_minutes):
        return None
    known = roles(policy)
    position = rank(policy, case.required_role)
    if position < 0 or position + 1 >= len(known):
        return None
    return known[position + 1]


# -- shadow mode ------------------------------------------------------------------------------

def shadow(decision: Decision, policy: Policy, total: Decimal | None) -> Decision:
    """In shadow mode every invoice goes to a person; the policy's outcome is the proposal."""
    if policy.mode != "shadow":
        return decision
    approver = decision.approver_role or required_role(policy, total)
    return decision.model_copy(update={
        "outcome": Outcome.REVIEW,
        "reason": f"Shadow mode: APX proposes {decision.outcome.value} — {decision.reason}",
        "approver_role": approver,
        "proposal": decision.outcome.value,
    })
