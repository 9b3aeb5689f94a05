"""Review in the Prefect UI: one suspended flow run per invoice, with a form.

`review-invoice` waits as a suspended run (no process is kept while people think; it
survives a restart of `apx serve`). The Prefect UI shows its form: the markdown description is
the review card, the fields are the decision, corrections, a reason and the reviewer's name
and personal code. On resume Prefect re-runs the flow from the top: everything before the
wait is idempotent, and each form is keyed by how many submissions the store has processed,
so an answer already recorded is never counted twice. A refused submission (wrong code, role
too low, four eyes) suspends again with the reason at the top of the next form.

`escalate-reviews` runs on a schedule and moves reviews left unanswered to the next role
(an expired pause is terminal in Prefect, so the wait itself never times out).
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal
from uuid import UUID

from prefect import flow
from prefect.input import RunInput
from pydantic import Field, SecretStr

from models.review import Submission
from pipeline import review
from pipeline.runtime import RunSpec, Runtime, runtime_for
from rules.review import AMOUNT_PATTERN, DATE_PATTERN

if TYPE_CHECKING:
    from prefect.client.schemas.objects import FlowRun

REVIEW_FLOW = "review-invoice"
DEPLOYMENT = "apx"
REVIEW_DEPLOYMENT = f"{REVIEW_FLOW}/{DEPLOYMENT}"
QUEUE_ARTIFACT = "review-queue"

_BLANK_OR = "^$|"
log = logging.getLogger("apx.review")


class ReviewForm(RunInput):
    """The review form. Amounts are text with a pattern (a Decimal field would let 'abc'
    through the UI's schema); the flow converts them to Decimal."""

    decision: Literal["approve", "reject", "hold"] = Field(
        title="Decision", description="approve: post it; reject: never pay it; hold: keep it "
                                      "waiting (say why)")
    reviewer: str = Field(title="Your name", min_length=1, max_length=80,
                          description="as registered with `apx reviewers add`")
    code: SecretStr = Field(title="Your personal code", min_length=4, max_length=40)
    reason: str = Field(default="", title="Reason", max_length=2000,
                        description="required to reject or hold; recorded in the audit log")
    total: str = Field(default="", title="Corrected total", description="e.g. 1234.50; "
                       "blank keeps the value", pattern=_BLANK_OR + AMOUNT_PATTERN[1:])
    subtotal: str = Field(default="", title="Corrected subtotal",
                          pattern=_BLANK_OR + AMOUNT_PATTERN[1:])
    tax: str = Field(default="", title="Corrected tax", pattern=_BLANK_OR + AMOUNT_PATTERN[1:])
    invoice_number: str = Field(default="", title="Corrected invoice number", max_length=128)
    invoice_date: str = Field(default="", title="Corrected invoice date",
                              description="YYYY-MM-DD", pattern=_BLANK_OR + DATE_PATTERN[1:])
    po_number: str = Field(default="", title="Corrected PO number", max_length=64)

    def submission(self) -> Submission:
        return Submission(
            action=self.decision, reviewer=self.reviewer.strip(),
            code=self.code.get_secret_value(), reason=self.reason,
            corrections={name: getattr(self, name) for name in (
                "invoice_number", "invoice_date", "po_number", "subtotal", "tax", "total")
                if getattr(self, name).strip()},
        )


def _flow_run_id() -> str:
    from prefect.runtime import flow_run

    return str(flow_run.id)


def _wait_for_decision(rt: Runtime, invoice_id: str, key: str) -> ReviewForm:
    """Suspend until a person submits the form (or return the answer already given)."""
    from prefect.context import FlowRunContext
    from prefect.flow_runs import pause_flow_run, suspend_flow_run

    form = ReviewForm.with_initial_data(description=review.description(rt, invoice_id))
    context = FlowRunContext.get()
    if context is not None and context.flow_run is not None and context.flow_run.deployment_id:
        return suspend_flow_run(wait_for_input=form, key=key, timeout=None)
    # a plain local run (no deployment) cannot be suspended: it waits in this process
    return pause_flow_run(wait_for_input=form, key=key, timeout=30 * 24 * 3600, poll_interval=2)


def _forget_answer(key: str) -> None:
    """The answer holds the reviewer's personal code: delete it from Prefect once recorded."""
    from prefect.input.actions import delete_flow_run_input

    for state_name in ("suspended", "paused"):
        with contextlib.suppress(Exception):
            delete_flow_run_input(key=f"{state_name}-{key}-response",
                                  flow_run_id=UUID(_flow_run_id()))


@flow(name=REVIEW_FLOW, persist_result=False, log_prints=False)
def review_invoice(invoice_id: str, spec: RunSpec) -> str:
    """Wait for a person's decision on one invoice in review; post it when approved."""
    from pydantic import ValidationError

    rt = runtime_for(spec)
    case = review.open_review(rt, invoice_id)
    if case.flow_run_id != _flow_run_id():
        rt.store.reviews.set_flow_run(invoice_id, _flow_run_id())
    review.finish(rt, invoice_id)  # an approval recorded before a crash is posted now
    publish_queue(rt)
    while case.status == "waiting":
        key = review.next_key(case)
        try:
            answer = _wait_for_decision(rt, invoice_id, key)
            submission = answer.submission()
        except ValidationError as error:  # resumed without a usable form
            submission = Submission(action="hold", reviewer="?", code="",
                                    reason=f"unusable input: {error.error_count()} error(s)")
        case = review.submit(rt, invoice_id, key, submission)
        _forget_answer(key)
        publish_queue(rt)
    return case.status


def request_review(spec: RunSpec, invoice_id: str) -> str:
    """Start (once per invoice) the review run of an invoice decided 'review'; its id."""
    from prefect.deployments import run_deployment

    rt = runtime_for(spec)
    review.open_review(rt, invoice_id)
    run: FlowRun = run_deployment(  # type: ignore[assignment]  # sync call: a FlowRun
        REVIEW_DEPLOYMENT, parameters={"invoice_id": invoice_id, "spec": spec},
        flow_run_name=review.title(rt, invoice_id), timeout=0, as_subflow=False,
        idempotency_key=f"apx-review-{invoice_id}", tags=["apx", "review"],
    )
    rt.store.reviews.set_flow_run(invoice_id, str(run.id))
    return str(run.id)


def run_url(flow_run_id: str) -> str:
    from prefect.settings import PREFECT_UI_URL

    base = (PREFECT_UI_URL.value() or "").rstrip("/")
    return f"{base}/runs/flow-run/{flow_run_id}"


def publish_queue(rt: Runtime) -> None:
    """The review queue as a Prefect artifact (one new version each time it changes)."""
    from prefect.artifacts import create_markdown_artifact

    items = review.queue(rt)
    lines = [f"**{len(items)} invoice(s) waiting for review**, oldest first "
             f"(as of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)", ""]
    if items:
        lines += ["| Waiting | Invoice | Amount | Pattern | Role needed | State | Run |",
                  "|---|---|---:|---|---|---|---|"]
        for item in items:
            age = (f"{item.age_minutes // 1440} d {item.age_minutes % 1440 // 60} h"
                   if item.age_minutes >= 1440 else
                   f"{item.age_minutes // 60} h {item.age_minutes % 60} min")
            link = f"[open]({run_url(item.flow_run_id)})" if item.flow_run_id else "-"
            role = item.required_role + (" · 4 eyes" if item.four_eyes else "")
            lines.append(f"| {age} | {item.vendor} {item.invoice_number} | {item.amount} | "
                         f"{item.pattern} | {role} | {item.state} | {link} |")
    agreed, total = review.shadow_agreement(rt)
    if total:
        lines += ["", f"Shadow mode: reviewers agreed with APX on {agreed} of {total} "
                      f"decided invoices ({agreed / total:.0%})."]
    try:
        create_markdown_artifact("\n".join(lines), key=QUEUE_ARTIFACT,
                                 description="Invoices waiting for a decision, oldest first")
    except Exception as error:  # the queue is a view: never fail a review over it
        log.warning("review queue artifact not updated: %s", error)


def _update_waiting_run(flow_run_id: str, name: str, description: str) -> None:
    """Rename a waiting run and replace its form's description (after an escalation)."""
    from prefect import get_client
    from prefect.input.actions import create_flow_run_input, delete_flow_run_input

    run_id = UUID(flow_run_id)
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
        client.update_flow_run(run_id, name=name)
        keyset = run.state.state_details.run_input_keyset if run.state else None
        if run.state is None or not run.state.is_paused() or not keyset:
            return
    delete_flow_run_input(key=keyset["description"], flow_run_id=run_id)
    create_flow_run_input(key=keyset["description"], value=description, flow_run_id=run_id)


@flow(name="escalate-reviews", persist_result=False)
def escalate_reviews(spec: RunSpec) -> list[str]:
    """Move every review left unanswered past the policy's time to the next role."""
    from prefect.events import emit_event

    rt = runtime_for(spec)
    moved = []
    for case, role in review.due_escalations(rt):
        case = review.escalate(rt, case.invoice_id, role)
        moved.append(case.invoice_id)
        if case.flow_run_id:
            try:
                _update_waiting_run(case.flow_run_id,
                                    f"{review.title(rt, case.invoice_id)} · escalated to {role}",
                                    review.description(rt, case.invoice_id))
            except Exception as error:  # the store is the truth; the UI text is a courtesy
                log.warning("could not update review run %s: %s", case.flow_run_id, error)
        emit_event("invoice.review.escalated",
                   resource={"prefect.resource.id": f"apx.invoice.{case.invoice_id}"},
                   payload={"role": role, "level": case.escalation_level})
    publish_queue(rt)
    return moved
