"""The review card: what a reviewer reads to decide an invoice in under a minute.

The same markdown is `apx show`'s output and the description above the review form in the
Prefect UI: the header, the invoice lines beside the PO and receipt lines with every
difference marked, each finding with its evidence, the pattern, the policy's proposal, the
model's draft (labelled unverified) and, in review, who may decide and what happened so far.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from models.findings import Finding
from models.invoice import InvoiceDocument
from models.matching import MatchResult
from models.records import InvoiceRecord, ModelCallRecord
from models.review import ReviewActionRecord, ReviewCase

WARN = "⚠"


def amount_text(amount: Decimal | None, currency: str | None) -> str:
    """An amount with its currency for people: '1,234.50 EUR', or '-' when unknown."""
    if amount is None:
        return "-"
    return f"{amount:,.2f} {currency or ''}".strip()


def _qty(value: Decimal | None) -> str:
    """A quantity without trailing zeros: 10, 2.5."""
    if value is None:
        return "-"
    normal = value.normalize()
    return f"{normal:,f}"


def _price(value: Decimal | None) -> str:
    """Money: two decimals, or all of them when there are more (4.725 stays 4.725)."""
    if value is None:
        return "-"
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return f"{value.normalize():,f}"
    return f"{value:,.2f}"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def invoice_document(row: InvoiceRecord) -> InvoiceDocument | None:
    """The extracted invoice as stored (lines included), or None for an unreadable file."""
    extraction: dict[str, Any] | None = row.extraction
    if not extraction or "invoice" not in extraction:
        return None
    return InvoiceDocument.model_validate(extraction["invoice"])


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def lines_table(invoice: InvoiceDocument, match: MatchResult | None) -> list[str]:
    """Each invoice line beside the PO line it bills and what was received, differences marked.

    A list, not a table: the review form is a narrow dialog, and a list wraps."""
    if not invoice.lines:
        return ["_No invoice lines were read._", ""]
    out: list[str] = []
    matches = {m.line_index: m for m in match.lines} if match is not None else {}
    for index, line in enumerate(invoice.lines):
        description = _cell(line.description + (f" ({line.sku})" if line.sku else ""))
        billed = (f"billed {_qty(line.quantity)} × {_price(line.unit_price)} = "
                  f"{_price(line.amount)}")
        if match is None:  # no ERP data at hand: the invoice side only, nothing to compare
            out.append(f"{index + 1}. {description}  \n   {billed}")
            continue
        found = matches.get(index)
        po_line = found.po_line if found is not None else None
        received = found.received_quantity if found is not None else None
        marks: list[str] = []
        if po_line is None:
            marks.append(f"{WARN} not on the PO" if match.po else f"{WARN} no PO")
        else:
            if line.unit_price > po_line.unit_price:
                change = (line.unit_price - po_line.unit_price) / po_line.unit_price * 100 \
                    if po_line.unit_price else Decimal(100)
                marks.append(f"{WARN} price +{change:.1f} %")
            if line.quantity > po_line.quantity:
                marks.append(f"{WARN} qty above PO (+{_qty(line.quantity - po_line.quantity)})")
            if received is not None and line.quantity > received:
                marks.append(f"{WARN} qty above received (+{_qty(line.quantity - received)})")
        ordered = (f"PO line {po_line.line_no}: {_qty(po_line.quantity)} × "
                   f"{_price(po_line.unit_price)}" if po_line is not None else "PO: -")
        check = f"**{'; '.join(marks)}**" if marks else "✓"
        out.append(f"{index + 1}. {description}  \n   {billed} · {ordered} · received "
                   f"{_qty(received)} · {check}")
    out.append("")
    return out


def review_card(
    row: InvoiceRecord,
    findings: list[Finding],
    calls: list[ModelCallRecord],
    *,
    match: MatchResult | None = None,
    case: ReviewCase | None = None,
    actions: list[ReviewActionRecord] | None = None,
) -> str:
    """The markdown a reviewer reads (also `apx show`'s output)."""
    vendor = row.vendor_name or "-"
    lines = [
        f"## {row.vendor_name or row.file_name} · {row.invoice_number or '?'} · "
        f"{amount_text(row.total, row.currency)} · {row.primary_pattern or 'no exception'}",
        "",
    ]
    if case is not None and case.status == "waiting":
        lines += _who_decides(case)
    lines += [
        f"- **Vendor:** {_cell(vendor)} "
        f"({row.vendor_id or f'{WARN} not in the vendor master'})",
        f"- **Invoice:** {_cell(row.invoice_number or '-')} dated {row.invoice_date or '-'}",
        f"- **PO:** {_cell(row.po_number or '-')}"
        + (f" ({match.po.status}, {match.po.bill_to})" if match and match.po else ""),
        f"- **Total:** {amount_text(row.total, row.currency)} (subtotal "
        f"{amount_text(row.subtotal, row.currency)}, tax {amount_text(row.tax, row.currency)})",
        f"- **File:** {_cell(row.file_name)} (status {row.status}"
        + (f": {_cell(row.status_reason)}" if row.status_reason else "") + ")",
        "",
    ]
    invoice = invoice_document(row)
    if invoice is not None:
        lines += ["### Lines: invoice beside PO and receipts" if match is not None else
                  "### Invoice lines (`apx show --erp DIR` puts the PO beside them)", ""]
        lines += lines_table(invoice, match)
    lines += [f"**Exception pattern:** {row.primary_pattern or 'none'} "
              f"({row.classification_source or '-'})", ""]
    if findings:
        lines.append("### Findings")
        for item in findings:
            evidence = ", ".join(f"{k} = {v}" for k, v in item.evidence.items())
            lines.append(f"- **{item.code}** ({item.severity}): {item.message}"
                         + (f"  \n  _evidence: {evidence}_" if evidence else ""))
        lines.append("")
    in_review = row.decision == "review" or (case is not None and case.status == "waiting")
    label = "Policy proposal" if in_review else "Decision"
    proposal = (row.proposal or row.decision or "-") if in_review else (row.decision or "-")
    lines += [
        f"**{label}:** {proposal} — {row.decision_reason or ''} "
        f"(policy {row.policy_version or '-'}"
        + (f", approver: {row.approver_role}" if row.approver_role else "")
        + (", four eyes" if row.four_eyes else "") + ")",
        "",
    ]
    if row.explanation:
        lines += ["### Explanation", row.explanation, ""]
    if row.model_explanation:
        lines += ["### Draft by the model (unverified: check it against the findings)",
                  f"> {row.model_explanation}", ""]
    if actions:
        lines.append("### Review so far")
        for action in actions:
            lines.append(f"- {action.at:%Y-%m-%d %H:%M} {action.reviewer} "
                         f"({action.reviewer_role or '?'}) {action.action}: {action.message}")
        lines.append("")
    if calls:
        lines.append("### Model calls")
        for call in calls:
            lines.append(f"- {call.step}: {call.model} (prompt {call.prompt_version}), "
                         f"{call.prompt_tokens}+{call.completion_tokens} tokens, "
                         f"{call.latency_ms} ms{' (cached)' if call.cached else ''}")
    return "\n".join(lines)


def _who_decides(case: ReviewCase) -> list[str]:
    out: list[str] = []
    if case.last_message:
        out += [f"> **Last submission:** {case.last_message}", ""]
    needs = [f"approve: **{case.required_role}** or above"]
    if case.four_eyes:
        needs.append("two different reviewers (fraud risk)")
    if case.approvers:
        needs.append(f"approved so far by {', '.join(case.approvers)}")
    if case.escalation_level:
        needs.append(f"escalated {case.escalation_level}× (unanswered)")
    if case.held_by:
        needs.append(f"on hold by {case.held_by}")
    if case.proposal:
        needs.append(f"shadow mode: APX proposes **{case.proposal}**")
    out += ["**To decide:** " + "; ".join(needs) + ". Enter your name and personal code; "
            "amounts like 1234.50, dates like 2026-11-20; leave a correction blank to keep "
            "the value.", ""]
    return out
