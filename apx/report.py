"""What the CLI prints: the batch table, its totals and an invoice's review card."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from models.findings import Finding
from models.processing import ProcessingResult
from models.records import InvoiceRecord, ModelCallRecord
from models.sensitive import mask_text

_CONTROL = dict.fromkeys([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)], "?")


def safe(text: str | None) -> str:
    """Text from a file or an invoice, shown as it is: no rich markup is interpreted and no
    control character (terminal escape codes) reaches the terminal."""
    return escape((text or "").translate(_CONTROL))


DECISION_STYLE = {"approve": "green", "review": "yellow", "hold": "cyan", "reject": "red",
                  None: "magenta"}


def amount_text(amount: Decimal | None, currency: str | None) -> str:
    """An amount with its currency for people: '1,234.50 EUR', or '-' when unknown."""
    if amount is None:
        return "-"
    return f"{amount:,.2f} {currency or ''}".strip()


def outcome_table(outcomes: list[ProcessingResult]) -> Table:
    table = Table(header_style="bold", pad_edge=False)
    table.add_column("file", no_wrap=True, max_width=34, overflow="ellipsis")
    table.add_column("invoice", no_wrap=True, max_width=16, overflow="ellipsis")
    table.add_column("vendor", no_wrap=True, max_width=34, overflow="ellipsis")
    table.add_column("total", justify="right", no_wrap=True)
    table.add_column("pattern", no_wrap=True)
    table.add_column("decision", no_wrap=True)
    for item in outcomes:
        vendor = item.vendor_name or "-"
        if item.vendor_id:
            vendor = f"{item.vendor_id} {vendor}"
        pattern = item.primary_pattern or "-"
        extra = len(item.patterns) - (1 if item.primary_pattern in item.patterns else 0)
        if extra > 0:
            pattern += f" +{extra}"
        decision = item.decision or item.status
        if item.processed_elsewhere:
            decision += " (another worker is processing it)"
        elif item.duplicate_delivery:
            decision += " (same file again)"
        table.add_row(
            safe(item.file_name), safe(item.invoice_number or "-"), safe(vendor),
            safe(amount_text(item.total, item.currency)), safe(pattern),
            f"[{DECISION_STYLE.get(item.decision, 'magenta')}]{decision}[/]",
        )
    return table


def totals_line(outcomes: list[ProcessingResult]) -> str:
    decisions = Counter(item.decision for item in outcomes)
    failed = sum(1 for item in outcomes
                 if item.decision is None and not item.processed_elsewhere)
    extraction = sum(item.extraction_calls for item in outcomes)
    classification = sum(item.classification_calls for item in outcomes)
    parts = [
        f"{len(outcomes)} invoices",
        f"[green]{decisions['approve']} touchless[/]",
        f"[cyan]{decisions['hold']} held[/]",
        f"[yellow]{decisions['review']} in review[/]",
        f"[red]{decisions['reject']} rejected[/]",
    ]
    if failed:
        parts.append(f"[magenta]{failed} failed[/]")
    cached = sum(item.cached_answers for item in outcomes)
    parts.append(f"model calls: {extraction} extraction + {classification} classification"
                 + (f" ({cached} more answered from the cache)" if cached else ""))
    return " · ".join(parts)


def review_card(
    row: InvoiceRecord, findings: list[Finding], calls: list[ModelCallRecord]
) -> str:
    """The markdown a reviewer reads: header, findings with evidence, pattern, explanation.

    Bank accounts appear masked (the store keeps them so; an older database is masked here).
    """
    lines = [
        f"## {row.file_name}",
        "",
        "| | |\n|---|---|",
        f"| Vendor | {row.vendor_name or '-'} ({row.vendor_id or 'not in master'}) |",
        f"| Invoice | {row.invoice_number or '-'} dated {row.invoice_date or '-'} |",
        f"| PO | {row.po_number or '-'} |",
        f"| Subtotal / tax / total | {amount_text(row.subtotal, row.currency)} / "
        f"{amount_text(row.tax, row.currency)} / **{amount_text(row.total, row.currency)}** |",
        f"| Status | {row.status}{' - ' + row.status_reason if row.status_reason else ''} |",
        "",
        f"**Decision:** {row.decision or '-'} — {row.decision_reason or ''} "
        f"(policy {row.policy_version or '-'}"
        + (f", approver: {row.approver_role}" if row.approver_role else "")
        + (", four eyes" if row.four_eyes else "") + ")",
        "",
        f"**Pattern:** {row.primary_pattern or 'none'} ({row.classification_source or '-'})",
        "",
    ]
    if findings:
        lines.append("### Findings")
        for item in findings:
            evidence = ", ".join(f"{k}={v}" for k, v in item.evidence.items()
                                 if not k.endswith("_hmac"))
            lines.append(f"- **{item.code}** ({item.severity}): {item.message}"
                         + (f"  \n  _evidence: {evidence}_" if evidence else ""))
        lines.append("")
    if row.explanation:
        lines += ["### Explanation", row.explanation, ""]
    if row.model_explanation:
        lines += ["### Draft by the model (unverified)", row.model_explanation, ""]
    if calls:
        lines.append("### Model calls")
        for call in calls:
            lines.append(f"- {call.step}: {call.model} (prompt {call.prompt_version}), "
                         f"{call.prompt_tokens}+{call.completion_tokens} tokens, "
                         f"{call.latency_ms} ms{' (cached)' if call.cached else ''}")
    return mask_text("\n".join(lines))


def print_card(console: Console, card: str) -> None:
    console.print(Markdown(card))
