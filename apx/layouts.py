"""What `apx layouts` prints, and how it reads corrected values from the command line."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from models.layouts import VendorLayout


class CorrectionError(ValueError):
    """A --set value that is not FIELD=VALUE."""


def corrections(pairs: list[str]) -> dict[str, str]:
    """'invoice_number=RE-1' ... -> {field: value} (the value is validated with the invoice)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip() or not value.strip():
            raise CorrectionError(f"'{pair}' is not FIELD=VALUE (e.g. invoice_number=RE-2026-17)")
        out[name.strip()] = value.strip()
    return out


def layouts_table(layouts: list[VendorLayout], vendor_names: dict[str, str],
                  file_names: dict[str, str]) -> Table:
    table = Table(header_style="bold", pad_edge=False, show_lines=True)
    table.add_column("vendor", max_width=28)
    table.add_column("state", no_wrap=True)
    table.add_column("fits", justify="right", no_wrap=True)
    table.add_column("learned from", max_width=30)
    table.add_column("rules (field: label or position, value shape)")
    for layout in layouts:
        name = vendor_names.get(layout.vendor_id, "")
        state = (f"[green]v{layout.version} active[/]" if layout.active
                 else f"[red]v{layout.version} dropped[/]\n{escape(layout.dropped_reason or '')}")
        learned = file_names.get(layout.learned_from or "", layout.learned_from or "-")
        rules = "\n".join(
            f"{rule.field}: " + (f"'{rule.label}' ({rule.direction})" if rule.label
                                 else f"position p{rule.page}") + f"  {rule.shape}"
            for rule in layout.rules
        )
        table.add_row(
            escape(f"{layout.vendor_id} {name}".strip()), state,
            f"{layout.hits} hits\n{layout.misses} misses in a row",
            escape(f"{learned}\n{layout.confirmations}x, by {layout.confirmed_by}"),
            escape(rules),
        )
    return table
