"""voucher keys and check order: nothing paid twice, even by two workers at once

Adds `vouchers.invoice_number_key` (the number's normal form) and `vouchers.amount_minor`
(cents), backfills them, and makes (vendor_id, invoice_number_key, amount_minor) unique: two
workers that each approved a copy of the same invoice cannot both post it. Adds
`invoices.checked_seq`, the order in which invoices were matched (assigned under a lock), on
which duplicate and billing history is read.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:10:00.000000
"""
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

from models.keys import invoice_number_key, minor_units

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_vouchers = sa.table(
    'vouchers',
    sa.column('id', sa.Integer()),
    sa.column('invoice_number', sa.String()),
    sa.column('invoice_number_key', sa.String()),
    sa.column('amount', sa.String()),
    sa.column('amount_minor', sa.BigInteger()),
)


def upgrade() -> None:
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_seq', sa.Integer(), nullable=True))
        batch_op.create_index('ix_invoices_checked_seq', ['checked_seq'], unique=False)
    op.execute("UPDATE invoices SET checked_seq = seq WHERE vendor_id IS NOT NULL")
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_number_key', sa.String(length=128),
                                      nullable=True))
        batch_op.add_column(sa.Column('amount_minor', sa.BigInteger(), nullable=True))
    connection = op.get_bind()
    for row in connection.execute(sa.select(_vouchers.c.id, _vouchers.c.invoice_number,
                                            _vouchers.c.amount)).all():
        connection.execute(_vouchers.update().where(_vouchers.c.id == row.id).values(
            invoice_number_key=invoice_number_key(row.invoice_number),
            amount_minor=minor_units(Decimal(str(row.amount))),
        ))
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_vouchers_vendor_number_amount',
                                          ['vendor_id', 'invoice_number_key', 'amount_minor'])


def downgrade() -> None:
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_invoices_checked_seq')
        batch_op.drop_column('checked_seq')
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.drop_constraint('uq_vouchers_vendor_number_amount', type_='unique')
        batch_op.drop_column('amount_minor')
        batch_op.drop_column('invoice_number_key')
