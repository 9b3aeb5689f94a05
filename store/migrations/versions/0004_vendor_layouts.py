"""vendor layouts learned from confirmed invoices

Adds `vendor_layouts`: per vendor, where its confirmed invoices print each field and the
value's shape (models.layouts.VendorLayout), with how often the layout fitted since.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('vendor_layouts',
    sa.Column('vendor_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('learned_from', sa.String(length=64), nullable=True),
    sa.Column('confirmed_by', sa.String(length=200), nullable=False),
    sa.Column('confirmations', sa.Integer(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('misses', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('dropped_reason', sa.Text(), nullable=True),
    sa.Column('last_used_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['learned_from'], ['invoices.id'], ),
    sa.PrimaryKeyConstraint('vendor_id')
    )


def downgrade() -> None:
    op.drop_table('vendor_layouts')
