"""billing history and numeric duplicate keys

Adds `invoices.total_minor` (the total in cents, indexed with the vendor: totals compare as
numbers on SQLite too, where Money is text), re-keys `invoices.invoice_number_key` to the
invoice number's normal form (models.keys.invoice_number_key) and backfills both, and adds
`billed_lines`: what each invoice billed per PO line (filled by the check stage from now on).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:00:00.000000
"""
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import store.tables
from models.keys import compact, invoice_number_key, minor_units

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_invoices = sa.table(
    'invoices',
    sa.column('id', sa.String()),
    sa.column('invoice_number', sa.String()),
    sa.column('invoice_number_key', sa.String()),
    sa.column('total', sa.String()),
    sa.column('total_minor', sa.BigInteger()),
)


def upgrade() -> None:
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('total_minor', sa.BigInteger(), nullable=True))
        batch_op.drop_index('ix_invoices_vendor_total')
        batch_op.create_index('ix_invoices_vendor_total_minor', ['vendor_id', 'total_minor'],
                              unique=False)

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_invoices.c.id, _invoices.c.invoice_number, _invoices.c.total)
    ).all()
    for invoice_id, number, total in rows:
        connection.execute(
            _invoices.update().where(_invoices.c.id == invoice_id).values(
                invoice_number_key=invoice_number_key(number),
                total_minor=minor_units(Decimal(str(total))) if total is not None else None,
            )
        )

    op.create_table('billed_lines',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('invoice_id', sa.String(length=64), nullable=False),
    sa.Column('po_number', sa.String(length=64), nullable=False),
    sa.Column('po_line_no', sa.Integer(), nullable=False),
    sa.Column('quantity', store.tables.Money(precision=18, scale=4), nullable=False),
    sa.Column('amount', store.tables.Money(precision=18, scale=4), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('invoice_id', 'po_line_no', name='uq_billed_lines_invoice_line')
    )
    with op.batch_alter_table('billed_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billed_lines_invoice_id'), ['invoice_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_billed_lines_po_number'), ['po_number'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('billed_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billed_lines_po_number'))
        batch_op.drop_index(batch_op.f('ix_billed_lines_invoice_id'))
    op.drop_table('billed_lines')

    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_invoices_vendor_total_minor')
        batch_op.create_index('ix_invoices_vendor_total', ['vendor_id', 'total'], unique=False)
        batch_op.drop_column('total_minor')
    connection = op.get_bind()  # back to the 0001 key: upper case without separators
    rows = connection.execute(sa.select(_invoices.c.id, _invoices.c.invoice_number)).all()
    for invoice_id, number in rows:
        connection.execute(_invoices.update().where(_invoices.c.id == invoice_id)
                           .values(invoice_number_key=compact(number or '') or None))
