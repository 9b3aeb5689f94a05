"""`apx audit show`: an invoice's audit events told as a story, one plain sentence each.

Received, parsed, extracted (and by what: code reading labels, tables or the layout, the
e-invoice XML, a model and which), the findings, the pattern, the decision and by whom
(the policy and its version), posted. Unknown steps still get a sentence: what, by whom.
Everything printed comes from the audit payload, so bank accounts appear only masked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from models.records import AuditEvent

_SOURCES = {
    "label": "by code, next to its label",
    "table": "by code, from the line-item table",
    "layout": "by code, from the page layout",
    "arithmetic": "by code, as the only reading that adds up",
    "xml": "from the embedded e-invoice XML",
    "model": "by the model, among candidates found in the document",
    "learned": "by code, where the vendor's learned layout places it",
}
_MATCHED_BY = {"tax_id": "by its tax id", "name": "by name", "alias": "by a known alias",
               "none": "not found in the vendor master"}


def when(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def plain(value: object) -> str:
    """Text safe for a terminal: control characters (escape codes) shown as '?'."""
    return "".join(ch if ch.isprintable() else "?" for ch in str(value))


def story(events: Iterable[AuditEvent]) -> list[str]:
    """One line per event: its time, then what happened."""
    return [f"{when(event.at)}  {plain(sentence(event))}" for event in events]


def sentence(event: AuditEvent) -> str:
    teller = _TELLERS.get(event.step)
    if teller is None and event.step.startswith("layout."):
        teller = _layout
    elif teller is None and event.step.startswith("model.") and event.step.endswith(".failed"):
        teller = _model_failed
    elif teller is None and event.step.startswith("model."):
        teller = _model_call
    return teller(event) if teller is not None else _generic(event)


def _model_name(actor: str) -> str | None:
    return actor.removeprefix("model:") if actor.startswith("model:") else None


def _intake(event: AuditEvent) -> str:
    d = event.detail
    size = f"{d['bytes']:,} bytes" if isinstance(d.get("bytes"), int) else "size unknown"
    text = f"Received {d.get('file', 'a file')} ({size}, SHA-256 {str(d.get('sha256', ''))[:12]}…)."
    if d.get("new") is False:
        text += f" The same bytes had arrived before: the same invoice (status {d.get('status')})."
    return text


def _parse(event: AuditEvent) -> str:
    d = event.detail
    if not d.get("readable", True):
        return f"Could not be read ({event.actor}): {_period(d.get('reason'))}"
    pages = d.get("pages") or 0
    text = (f"Read by {event.actor}: {pages} page{'s' if pages != 1 else ''}, "
            f"{d.get('words', 0)} words." if pages else "Read as an e-invoice XML file (no page).")
    einvoice = d.get("einvoice")
    if isinstance(einvoice, Mapping):
        text += (f" It carries a {einvoice.get('syntax')} e-invoice"
                 + (f" ({einvoice.get('profile')})" if einvoice.get("profile") else "")
                 + (f" in {einvoice.get('attachment')}" if einvoice.get("attachment") else "")
                 + ".")
    if d.get("einvoice_error"):
        text += f" Its e-invoice could not be used: {d['einvoice_error']}."
    return text


def _extract(event: AuditEvent) -> str:
    d = event.detail
    invoice = d.get("invoice") if isinstance(d.get("invoice"), Mapping) else {}
    assert isinstance(invoice, Mapping)
    model = _model_name(event.actor)
    by = ("from the e-invoice XML, without a model" if event.actor == "einvoice-xml"
          else f"by code and the model {model}" if model else "by code, without a model")
    total = invoice.get("total")
    text = (f"Extracted {by}: invoice {invoice.get('invoice_number') or '?'} from "
            f"{invoice.get('vendor_name') or '?'}, dated {invoice.get('invoice_date') or '?'}, "
            f"total {total if total is not None else '?'} {invoice.get('currency') or ''}".rstrip()
            + f", {d.get('lines', 0)} line{'s' if d.get('lines') != 1 else ''}.")
    sources = d.get("sources") if isinstance(d.get("sources"), Mapping) else {}
    assert isinstance(sources, Mapping)
    grouped: dict[str, list[str]] = {}
    for name, source in sources.items():
        grouped.setdefault(str(source), []).append(str(name).replace("_", " "))
    if grouped:
        text += " Read " + "; ".join(
            f"{', '.join(names)} {_SOURCES.get(source, f'by {source}')}"
            for source, names in grouped.items()) + "."
    if invoice.get("iban"):
        text += f" Remit-to account {invoice['iban']}."
    unverified = d.get("unverified")
    if isinstance(unverified, Mapping) and unverified:
        text += " Not confirmed: " + "; ".join(
            f"{str(k).replace('_', ' ')} ({v})" for k, v in unverified.items()) + "."
    discrepancies = d.get("discrepancies")
    if isinstance(discrepancies, Mapping) and discrepancies:
        text += " The printed page contradicts the XML: " + "; ".join(
            f"{k} ({v})" for k, v in discrepancies.items()) + "."
    return text


def _model_call(event: AuditEvent) -> str:
    d = event.detail
    step = event.step.removeprefix("model.")
    model = _model_name(event.actor) or event.actor
    if d.get("cached"):
        return (f"The {step} answer of {model} (prompt {d.get('prompt_version')}) came from "
                f"the cache.")
    return (f"Asked {model} for the {step} (prompt {d.get('prompt_version')}): "
            f"{d.get('prompt_tokens', 0)}+{d.get('completion_tokens', 0)} tokens, "
            f"{d.get('latency_ms', 0)} ms, cost {d.get('cost', '0')}.")


def _model_failed(event: AuditEvent) -> str:
    step = event.step.removeprefix("model.").removesuffix(".failed")
    return (f"The model for the {step} could not answer ({event.detail.get('reason')}); "
            f"code went on without it.")


def _rules(event: AuditEvent) -> str:
    d = event.detail
    findings = [str(code) for code in d.get("findings") or []]
    parts = []
    if "vendor_id" in d:
        vendor = d.get("vendor_id")
        method = _MATCHED_BY.get(str(d.get("vendor_match")), str(d.get("vendor_match")))
        parts.append(f"Matched vendor {vendor} {method}" if vendor else "No vendor matched")
        parts.append(f"PO {d['po_number']}" if d.get("po_number") else "no PO")
    checked = f"checked by the rules of policy {d['policy_version']}" \
        if d.get("policy_version") else "checked by the rules"
    text = (", ".join(parts) + "; " if parts else "") + checked + ": "
    text += ("findings " + ", ".join(findings)) if findings else "no findings"
    text = text[0].upper() + text[1:] + "."
    unconfirmed = d.get("unconfirmed")
    if isinstance(unconfirmed, Mapping) and unconfirmed:
        text += " Not confirmed for the decision: " + "; ".join(
            f"{k} ({v})" for k, v in unconfirmed.items()) + "."
    return text


def _classify(event: AuditEvent) -> str:
    d = event.detail
    pattern = d.get("pattern")
    if not pattern:
        return "No exception pattern: nothing to classify."
    source = d.get("source")
    model = _model_name(event.actor)
    if source == "model":
        return f"Pattern {pattern}, chosen by the model {model or event.actor} among " \
               f"{', '.join(map(str, d.get('candidates') or [pattern]))}."
    reason = f" ({d['fallback_reason']})" if d.get("fallback_reason") else ""
    return f"Pattern {pattern}, chosen by code as the highest-priority finding{reason}."


def _decide(event: AuditEvent) -> str:
    d = event.detail
    text = (f"Decision: {d.get('outcome')}, by {event.actor} "
            f"(policy version {d.get('policy_version')}): {d.get('reason')}")
    if d.get("approver_role"):
        text += f"; approver: {d['approver_role']}"
    if d.get("four_eyes"):
        text += "; two distinct reviewers required"
    return text.rstrip(".") + "."


def _post(event: AuditEvent) -> str:
    d = event.detail
    voucher = d.get("voucher") if isinstance(d.get("voucher"), Mapping) else None
    what = (f" voucher for {voucher.get('amount')} {voucher.get('currency')} to vendor "
            f"{voucher.get('vendor_id')}, invoice {voucher.get('invoice_number')}"
            if voucher else "")
    if d.get("posted"):
        return f"Posted to the ERP ({event.actor}):{what}.".replace(":.", ".")
    return f"Already in the ERP ({event.actor}), nothing posted again:{what}.".replace(":.", ".")


def _failed(event: AuditEvent) -> str:
    return f"Processing failed: {_period(event.detail.get('reason'))}"


def _layout(event: AuditEvent) -> str:
    d = event.detail
    what = event.step.removeprefix("layout.")
    layout = f"vendor {d.get('vendor_id')}'s layout (version {d.get('version')})"
    if what in ("learned", "confirmed"):
        rules = d.get("rules") or []
        text = (f"{'Learned' if what == 'learned' else 'Confirmed'} {layout} from this invoice, "
                f"confirmed by {d.get('confirmed_by') or event.actor}: {len(rules)} field "
                f"rule{'s' if len(rules) != 1 else ''}.")
        not_placed = d.get("not_placed")
        if isinstance(not_placed, Mapping) and not_placed:
            text += " Not learned: " + ", ".join(map(str, not_placed)) + "."
        return text
    read, missed = d.get("read") or [], d.get("missed") or {}
    text = f"The learned {layout} {what}: read {', '.join(map(str, read)) or 'nothing'}"
    if isinstance(missed, Mapping) and missed:
        text += "; missed " + ", ".join(f"{k} ({v})" for k, v in missed.items())
    if d.get("reason"):
        text += f"; {d['reason']}"
    return text + "."


def _period(text: object) -> str:
    return str(text).rstrip(". ") + "."


def _generic(event: AuditEvent) -> str:
    facts = ", ".join(f"{k} {_short(v)}" for k, v in event.detail.items()
                      if not str(k).endswith("_hmac"))
    return f"{event.step.replace('_', ' ').capitalize()} by {event.actor}" + \
        (f": {facts}." if facts else ".")


def _short(value: Any) -> str:
    if isinstance(value, Mapping | list):
        return f"({len(value)} items)"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


_TELLERS = {
    "intake": _intake, "parse": _parse, "extract": _extract, "rules": _rules,
    "classify": _classify, "decide": _decide, "post": _post, "failed": _failed,
}
