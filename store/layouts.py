"""The vendor-layout side of the store: save a learned layout, read it, count how it fits.

Mixed into `Store` (store/repository.py), so a stage calls `rt.store.layout_for(vendor_id)`.
One row per vendor: the same rules learned again add a confirmation; other rules replace
them as a new version; a layout that stopped fitting stays, inactive, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.layouts import FieldRule, LayoutOutcome, LayoutUse, VendorLayout
from store.tables import DocumentRow, InvoiceRow, VendorLayoutRow


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _signature(rules: Sequence[FieldRule]) -> set[tuple[object, ...]]:
    """What makes two rule sets the same layout (not the exact box of the value, nor a date
    order that one invoice's date told and another's, "14/09", could not)."""
    return {(r.field, r.page, r.label, r.direction, r.shape) for r in rules}


def _keep_date_order(new: Sequence[FieldRule], old: Sequence[FieldRule]) -> list[FieldRule]:
    known = {r.field: r.month_first for r in old if r.month_first is not None}
    return [r.model_copy(update={"month_first": known[r.field]})
            if r.month_first is None and r.field in known else r for r in new]


def _layout(row: VendorLayoutRow) -> VendorLayout:
    return VendorLayout(
        vendor_id=row.vendor_id, version=row.version,
        rules=tuple(FieldRule.model_validate(rule) for rule in row.rules),
        learned_from=row.learned_from, confirmed_by=row.confirmed_by,
        confirmations=row.confirmations, hits=row.hits, misses=row.misses, active=row.active,
        dropped_reason=row.dropped_reason, updated_at=_aware(row.updated_at),
    )


class LayoutStore:
    """Store methods for learned vendor layouts (models.layouts)."""

    if TYPE_CHECKING:

        def session(self) -> AbstractContextManager[Session]: ...

    def save_layout(self, layout: VendorLayout) -> VendorLayout:
        """Keep the layout a confirmed invoice taught (`rules`, `learned_from`, `confirmed_by`).

        The vendor's active layout with the same rules gains a confirmation; otherwise these
        rules become the vendor's layout as a new version. Either way it is active and its
        run of misses starts again.
        """
        try:
            return self._save_layout(layout)
        except IntegrityError:  # another worker stored this vendor's first layout meanwhile
            return self._save_layout(layout)

    def _save_layout(self, layout: VendorLayout) -> VendorLayout:
        with self.session() as session:
            row = session.scalars(select(VendorLayoutRow).where(
                VendorLayoutRow.vendor_id == layout.vendor_id).with_for_update()).first()
            at = _now()
            if row is None:
                row = VendorLayoutRow(vendor_id=layout.vendor_id, version=0, hits=0,
                                      confirmations=0, created_at=at)
                session.add(row)
            stored = [FieldRule.model_validate(rule) for rule in row.rules or []]
            rules = list(layout.rules)
            if row.active and _signature(stored) == _signature(rules):
                rules = _keep_date_order(rules, stored)
                if row.learned_from == layout.learned_from and layout.learned_from:
                    return _layout(row)  # the same invoice again (a retried stage)
            else:
                row.version, row.confirmations, row.hits = row.version + 1, 0, 0
            row.rules = [rule.model_dump(mode="json") for rule in rules]
            row.learned_from, row.confirmed_by = layout.learned_from, layout.confirmed_by
            row.confirmations += 1
            row.misses, row.active, row.dropped_reason, row.updated_at = 0, True, None, at
            session.flush()
            return _layout(row)

    def layout_for(self, vendor_id: str) -> VendorLayout | None:
        """The vendor's active layout, if it has one."""
        with self.session() as session:
            row = session.get(VendorLayoutRow, vendor_id)
            return _layout(row) if row is not None and row.active else None

    def layouts(self) -> list[VendorLayout]:
        """Every vendor's layout, dropped ones too, by vendor id."""
        with self.session() as session:
            rows = session.scalars(select(VendorLayoutRow).order_by(VendorLayoutRow.vendor_id))
            return [_layout(row) for row in rows]

    def record_layout_use(self, use: LayoutUse, invoice_id: str,
                          drop_after: int) -> LayoutOutcome:
        """Count a fitting or a failing use of the layout `use` was read with on an invoice.

        The `drop_after`-th miss in a row drops the layout. A use of an older version, of a
        layout dropped since, or the same invoice's use again (a retried stage) changes
        nothing ("stale").
        """
        with self.session() as session:
            row = session.scalars(select(VendorLayoutRow).where(
                VendorLayoutRow.vendor_id == use.vendor_id).with_for_update()).first()
            if row is None or not row.active or row.version != use.version or \
                    row.last_used_by == invoice_id:
                return "stale"
            row.updated_at, row.last_used_by = _now(), invoice_id
            if use.fits:
                row.hits, row.misses = row.hits + 1, 0
                return "hit"
            row.misses += 1
            if row.misses < drop_after:
                return "miss"
            row.active = False
            row.dropped_reason = (f"did not fit {row.misses} invoices in a row; last: "
                                  + "; ".join(f"{k}: {v}" for k, v in use.missed.items()))
            return "dropped"

    def drop_layout(self, vendor_id: str, reason: str) -> bool:
        """Drop the vendor's active layout (False: it has none)."""
        with self.session() as session:
            row = session.get(VendorLayoutRow, vendor_id)
            if row is None or not row.active:
                return False
            row.active, row.dropped_reason, row.updated_at = False, reason, _now()
            return True

    def stored_document(self, invoice_id: str) -> tuple[str, str] | None:
        """(sha256, path of the kept original) of an invoice, to read its page again."""
        with self.session() as session:
            found = session.execute(
                select(DocumentRow.sha256, DocumentRow.stored_path)
                .join(InvoiceRow, InvoiceRow.document_sha256 == DocumentRow.sha256)
                .where(InvoiceRow.id == invoice_id)
            ).first()
            return (found[0], found[1]) if found is not None else None
