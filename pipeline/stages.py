"""One function per pipeline stage: typed in, typed out, idempotent, audited.

Each stage reads only its inputs and the runtime, writes its result through the store
(replacing what an earlier attempt wrote) and appends one audit event. A model is used
in exactly two places, `extract` and `classify`, through the gateway; it proposes, and
the deterministic `check` and `decide` stages decide.
"""

from __future__ import annotations

import hashlib
import os
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, Field

from classifier.classify import classify_run
from extractors.einvoice import EInvoice, einvoice_extraction
from extractors.extract import extract_invoice
from extractors.pdf import UnreadableDocument
from extractors.source import read_source
from models.completeness import Completeness
from models.documents import ParsedDocument
from models.findings import Classification, Decision, Finding, Outcome
from models.invoice import Extraction, InvoiceDocument
from models.matching import LineBilling, MatchResult
from models.processing import ProcessingResult
from models.states import InvoiceStatus, can_move
from pipeline import layouts
from pipeline.recording import RecordingGateway
from pipeline.runtime import Runtime
from rules.base import RuleContext
from rules.completeness import assess
from rules.decide import decide as decide_by_policy
from rules.matching import match_invoice
from rules.registry import run_rules
from rules.review import shadow
from rules.scope import billed_lines
from store.audit import AuditAnchor, voucher_detail
from store.files import private_dir
from store.unit_of_work import UnitOfWork, WriteConflict


class IntakeResult(BaseModel):
    invoice_id: str
    sha256: str
    file_name: str
    stored_path: str
    new: bool
    status: str
    finished: bool


class ParseResult(BaseModel):
    document: ParsedDocument | None = None
    unreadable_reason: str | None = None
    einvoice: EInvoice | None = None
    """The e-invoice XML the file is or carries: extraction reads it instead of the page."""
    einvoice_error: str | None = None
    page_error: str | None = None
    printed: bool = True
    """False for a bare XML file: there is no page to cross-check."""


class CheckResult(BaseModel):
    findings: list[Finding]
    match: MatchResult = Field(default_factory=MatchResult)
    completeness: Completeness = Field(default_factory=Completeness)
    """Which facts the decision depends on were read and confirmed (empty: none)."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _keep_original(path: Path, documents_dir: Path) -> tuple[str, int, Path]:
    """Copy the file into the document store while hashing it, in chunks (a huge file costs
    disk, never memory); the copy is renamed to its SHA-256 at the end, atomically, so a
    crash never leaves a half-written original. Readable by the owner only."""
    private_dir(documents_dir)  # 0700, its missing parents too; an older, open one tightened
    partial = documents_dir / f".incoming.{os.getpid()}.{os.urandom(6).hex()}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("rb") as source, os.fdopen(
            os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb"
        ) as target:
            while chunk := source.read(1024 * 1024):
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
        sha = digest.hexdigest()
        stored = documents_dir / sha[:2] / f"{sha}{path.suffix.lower()}"
        stored.parent.mkdir(mode=0o700, exist_ok=True)
        if stored.exists():
            partial.unlink()
        else:
            partial.replace(stored)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return sha, size, stored


def intake(rt: Runtime, path: Path) -> IntakeResult:
    """Identify the file by the SHA-256 of its bytes and keep the original, content-addressed."""
    sha, size, stored = _keep_original(path, Path(rt.spec.documents_dir))
    record = rt.store.register_document(sha, path.name, size, str(stored))  # + its audit
    return IntakeResult(invoice_id=record.invoice_id, sha256=sha, file_name=path.name,
                        stored_path=str(stored), new=record.created, status=record.status,
                        finished=record.finished)


def parse(rt: Runtime, item: IntakeResult) -> ParseResult:
    try:
        source = read_source(Path(item.stored_path), item.sha256, rt.spec.parse_limits)
    except UnreadableDocument as error:
        with rt.store.unit_of_work() as uow:
            uow.set_status(item.invoice_id, InvoiceStatus.UNREADABLE, error.reason)
            uow.audit(item.invoice_id, "parse", "pdfplumber",
                      {"readable": False, "reason": error.reason})
            uow.commit()
        return ParseResult(unreadable_reason=error.reason)
    document, einvoice = source.document, source.einvoice
    with rt.store.unit_of_work() as uow:
        uow.set_status(item.invoice_id, InvoiceStatus.PARSED)
        uow.audit(item.invoice_id, "parse", "pdfplumber", {
            "readable": True, "pages": len(document.pages) if source.printed else 0,
            "words": len(document.words), "text_sha256": _sha256(document.text.encode("utf-8")),
            "einvoice": None if einvoice is None else {
                "syntax": einvoice.syntax, "profile": einvoice.profile,
                "attachment": einvoice.attachment_name,
            },
            "einvoice_error": source.einvoice_error,
        })
        uow.commit()
    return ParseResult(document=document, einvoice=einvoice, einvoice_error=source.einvoice_error,
                       page_error=source.page_error, printed=source.printed)


def extract(rt: Runtime, item: IntakeResult, parsed: ParseResult) -> Extraction:
    """The invoice from its e-invoice XML when it has one (no model), else from the page."""
    document = parsed.document
    if document is None:
        raise ValueError(f"invoice {item.invoice_id} has no parsed document to extract from")
    recorder = None
    if parsed.einvoice is not None:
        extraction = einvoice_extraction(parsed.einvoice,
                                         document.text if parsed.printed else None)
        if parsed.page_error:  # the XML is fine, but nobody could compare it with the page
            unverified = {"page": f"the printed page could not be read ({parsed.page_error}), "
                                  f"so it was not compared with the e-invoice XML"}
            extraction = extraction.model_copy(update={"unverified": unverified})
    else:
        recorder = RecordingGateway(rt.gateway) if rt.gateway is not None else None
        extraction = extract_invoice(document, recorder, mode=rt.spec.extraction_mode,
                                     layout=layouts.layout_for_document(rt, document))
        if parsed.einvoice_error:  # it claims to be an e-invoice: a person learns why not
            unverified = {**extraction.unverified,
                          "einvoice": f"the attached e-invoice was not used: "
                                      f"{parsed.einvoice_error}"}
            extraction = extraction.model_copy(update={"unverified": unverified})
    default_actor = "einvoice-xml" if parsed.einvoice is not None else "extractors"
    with rt.store.unit_of_work() as uow:
        uow.save_extraction(item.invoice_id, extraction, vendor_id=None)
        _record_calls(uow, item.invoice_id, recorder)
        uow.audit(item.invoice_id, "extract", _actor(recorder, default_actor), {
            "invoice": extraction.invoice.model_dump(mode="json", exclude={"lines"}),
            "lines": len(extraction.invoice.lines),
            "sources": {k: v.value for k, v in extraction.sources.items()},
            "unverified": extraction.unverified,
            "discrepancies": extraction.discrepancies,
            "model_calls": extraction.model_calls,
            "layout": extraction.layout.model_dump(mode="json") if extraction.layout else None,
        })
        uow.commit()
    layouts.record_use(rt, item.invoice_id, extraction)
    return extraction


def check(
    rt: Runtime, item: IntakeResult, document: ParsedDocument | None,
    extraction: Extraction | None, unreadable_reason: str | None,
) -> CheckResult:
    """Match against the ERP and run every rule; an unreadable file yields one finding."""
    if document is None or extraction is None:
        findings = [rt.catalog.get("UNREADABLE_DOCUMENT").finding(
            f"The file could not be read: {unreadable_reason}", file=item.file_name)]
        with rt.store.unit_of_work() as uow:
            uow.save_findings(item.invoice_id, findings)
            uow.save_billed_lines(item.invoice_id, None, ())
            uow.audit(item.invoice_id, "rules", "apx", {"findings": ["UNREADABLE_DOCUMENT"]})
            uow.commit()
        return CheckResult(findings=findings)
    invoice = extraction.invoice
    match = match_invoice(invoice, rt.master, thresholds=rt.policy.matching)
    vendor = match.vendor.vendor
    po_number = match.po.po_number if match.po is not None else invoice.po_number
    with rt.store.unit_of_work() as uow:
        # Matching takes the check lock: the history read below includes every invoice
        # matched before this one, by any worker; the results commit with the match.
        uow.save_match(item.invoice_id, vendor.vendor_id if vendor else None, po_number)
        context = _rule_context(rt, uow, item, document, extraction, match, po_number)
        findings = run_rules(context)
        completeness = assess(context)
        uow.save_findings(item.invoice_id, findings)
        billed = [LineBilling(po_line_no=b.po_line.line_no, quantity=b.line.quantity,
                              amount=b.line.amount) for b in billed_lines(context)]
        uow.save_billed_lines(item.invoice_id, po_number, billed)
        uow.audit(item.invoice_id, "rules", "apx", {
            "vendor_id": vendor.vendor_id if vendor else None,
            "vendor_match": match.vendor.method,
            "po_number": po_number,
            "findings": [f.code for f in findings],
            "unconfirmed": {fact.name: fact.detail for fact in completeness.gaps},
            "policy_version": rt.policy.version,
        })
        uow.commit()
    layouts.learn_if_confirmed(rt, item.invoice_id, document, extraction, match, completeness,
                               findings)
    return CheckResult(findings=findings, match=match, completeness=completeness)


def _rule_context(
    rt: Runtime, uow: UnitOfWork, item: IntakeResult, document: ParsedDocument,
    extraction: Extraction, match: MatchResult, po_number: str | None,
) -> RuleContext:
    invoice, vendor = extraction.invoice, match.vendor.vendor
    return RuleContext(
        extraction=extraction,
        document_text=document.text,
        hidden_text=document.hidden_text,
        instruction_phrases=rt.instruction_phrases,
        master=rt.master,
        match=match,
        prior_invoices=(
            uow.prior_invoices(item.invoice_id, vendor.vendor_id, invoice.invoice_number,
                                    invoice.total) if vendor else ()
        ),
        prior_on_po=uow.prior_on_po(item.invoice_id, po_number) if po_number else (),
        billed_before=(
            uow.billed_before(item.invoice_id, match.po.po_number) if match.po else ()
        ),
        policy=rt.policy,
        catalog=rt.catalog,
        as_of=rt.spec.as_of,
    )


def classify(
    rt: Runtime, item: IntakeResult, findings: list[Finding], invoice: InvoiceDocument | None,
    unreadable: bool,
) -> Classification:
    # An unreadable file has nothing a model could explain; the fallback names the reason.
    recorder = RecordingGateway(rt.gateway) if rt.gateway is not None and not unreadable else None
    run = classify_run(findings, _summary(item, invoice), recorder, catalog=rt.catalog,
                       cache_key=item.sha256)
    result = run.classification
    with rt.store.unit_of_work() as uow:
        uow.save_classification(item.invoice_id, result)
        _record_calls(uow, item.invoice_id, recorder)
        uow.audit(item.invoice_id, "classify", _actor(recorder, "apx"), {
            "pattern": result.pattern, "source": result.source, "candidates": result.candidates,
            "fallback_reason": run.fallback_reason,
        })
        uow.commit()
    return result


def decide(
    rt: Runtime, item: IntakeResult, findings: list[Finding], total: Decimal | None,
    completeness: Completeness,
) -> Decision:
    decision = decide_by_policy(findings, total, rt.policy, rt.catalog, completeness)
    decision = shadow(decision, rt.policy, total)  # shadow mode: a person decides every one
    with rt.store.unit_of_work() as uow:
        uow.save_decision(item.invoice_id, decision)
        uow.audit(item.invoice_id, "decide", "policy", decision.model_dump(mode="json"))
        uow.commit()
    return decision


def post(rt: Runtime, item: IntakeResult, decision: Decision) -> bool:
    """Export an approved invoice to the ERP exactly once (a retry posts nothing new)."""
    if decision.outcome is not Outcome.APPROVE:
        return False
    try:
        with rt.store.unit_of_work() as uow:
            posted = uow.post_voucher(item.invoice_id)
            uow.audit(item.invoice_id, "post", "erp",
                      {"posted": posted, "voucher": _voucher_detail(uow, item.invoice_id)})
            uow.commit()
        return posted
    except WriteConflict as conflict:
        return _post_refused(rt, item, decision, str(conflict))


def _post_refused(rt: Runtime, item: IntakeResult, decision: Decision, conflict: str) -> bool:
    """The voucher collided with one already posted: by another worker for these very
    bytes (then it is posted, once), or for the same vendor, number and amount under other
    bytes — a copy of a paid invoice, which goes to a person instead of being paid twice."""
    with rt.store.unit_of_work() as uow:
        if uow.voucher_exists(item.invoice_id):
            uow.set_status(item.invoice_id, InvoiceStatus.POSTED)
            uow.audit(item.invoice_id, "post", "erp", {
                "posted": False, "by": "another worker",
                "voucher": _voucher_detail(uow, item.invoice_id)})
        else:
            reason = ("Not posted: a voucher with the same vendor, invoice number and amount "
                      "was posted already (another copy of this invoice?)")
            total = uow.invoice_row(item.invoice_id).total
            refused = decision.model_copy(update={
                "outcome": Outcome.REVIEW, "reason": reason, "four_eyes": True,
                "approver_role": rt.policy.approver_for(total if total is not None
                                                        else Decimal(0))})
            uow.save_decision(item.invoice_id, refused)
            uow.audit(item.invoice_id, "post", "erp", {"posted": False, "refused": conflict})
            uow.audit(item.invoice_id, "decide", "policy", refused.model_dump(mode="json"))
        uow.commit()
    return False


def _voucher_detail(uow: UnitOfWork, invoice_id: str) -> dict[str, object] | None:
    """What the ERP holds for the invoice, for its post event (`apx audit verify` checks it)."""
    return voucher_detail(uow.voucher(invoice_id))


def anchor_audit(rt: Runtime) -> AuditAnchor | None:
    """At the end of a batch: the audit chain's head, written outside the database."""
    return rt.store.anchor_audit()


def result(rt: Runtime, item: IntakeResult, *, elsewhere: bool = False) -> ProcessingResult:
    """What processing the file came to, read back from the store (`elsewhere`: another
    worker was processing the same bytes at that moment and reports the outcome)."""
    row = rt.store.invoice(item.invoice_id)
    if row is None:
        raise KeyError(item.invoice_id)
    calls = rt.store.model_calls(item.invoice_id)
    return ProcessingResult(
        invoice_id=row.id, file_name=item.file_name, status=row.status,
        status_reason=row.status_reason, vendor_id=row.vendor_id, vendor_name=row.vendor_name,
        invoice_number=row.invoice_number, currency=row.currency, total=row.total,
        patterns=sorted({f.code for f in rt.store.findings(row.id)}),
        primary_pattern=row.primary_pattern, decision=row.decision,
        decision_reason=row.decision_reason,
        extraction_calls=sum(1 for c in calls if c.step == "extraction" and not c.cached),
        classification_calls=sum(1 for c in calls if c.step == "classification" and not c.cached),
        cached_answers=sum(1 for c in calls if c.cached),
        duplicate_delivery=item.finished or elsewhere,
        processed_elsewhere=elsewhere,
    )


def held_item(rt: Runtime, invoice_id: str) -> IntakeResult:
    """The intake record of an invoice taken in earlier, to process it again (re-match)."""
    row = rt.store.invoice(invoice_id)
    stored = rt.store.stored_path(invoice_id)
    if row is None or stored is None:
        raise KeyError(f"no stored invoice {invoice_id}")
    rt.store.audit(invoice_id, "rematch", "apx", {"previous_decision": row.decision})
    return IntakeResult(invoice_id=invoice_id, sha256=invoice_id, file_name=row.file_name,
                        stored_path=stored, new=False, status=row.status, finished=False)


def record_failure(rt: Runtime, path: Path, message: str) -> ProcessingResult:
    """Leave a file whose processing failed in the known state `failed`, with the reason."""
    reason = (f"Processing failed ({message.strip() or 'unknown error'}); "
              "the file is kept, run it again.")
    invoice_id, status = "", "failed"
    if path.is_file():
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
        sha = digest.hexdigest()
        record = rt.store.invoice(sha)
        if record is not None:
            invoice_id = sha
            with rt.store.unit_of_work() as uow:
                if can_move(record.status, InvoiceStatus.FAILED):  # a paid one stays paid
                    uow.set_status(sha, InvoiceStatus.FAILED, reason)
                uow.audit(sha, "failed", "apx", {"file": path.name, "reason": reason})
                uow.commit()
    else:
        reason = f"File not found: {path}"
    return ProcessingResult(
        invoice_id=invoice_id, file_name=path.name, status=status, status_reason=reason,
        vendor_id=None, vendor_name=None, invoice_number=None, currency=None, total=None,
        patterns=[], primary_pattern=None, decision=None, decision_reason=reason,
        extraction_calls=0, classification_calls=0,
    )


def _record_calls(uow: UnitOfWork, invoice_id: str, recorder: RecordingGateway | None) -> None:
    for step, reason in recorder.failures if recorder else []:
        uow.audit(invoice_id, f"model.{step}.failed", "apx", {"reason": reason[:2000]})
    for answer in recorder.answers if recorder else []:
        uow.record_model_call(invoice_id, answer)
        uow.audit(invoice_id, f"model.{answer.step}", f"model:{answer.model}", {
            "prompt_version": answer.prompt_version, "cached": answer.cached,
            "prompt_tokens": answer.prompt_tokens, "completion_tokens": answer.completion_tokens,
            "cost": str(answer.cost), "latency_ms": answer.latency_ms, "answer": answer.data,
        })


def _actor(recorder: RecordingGateway | None, default: str) -> str:
    if recorder is not None and recorder.answers:
        return f"model:{recorder.answers[-1].model}"
    return default


def _summary(item: IntakeResult, invoice: InvoiceDocument | None) -> str:
    if invoice is None:
        return f"File {item.file_name} (unreadable)"
    return (f"Invoice {invoice.invoice_number or '?'} from {invoice.vendor_name or '?'}, "
            f"dated {invoice.invoice_date or '?'}, PO {invoice.po_number or 'none'}, "
            f"total {invoice.total if invoice.total is not None else '?'} "
            f"{invoice.currency or ''}").strip()
