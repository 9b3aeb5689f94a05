"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 09:42:48.197487
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.tables


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('invoice_id', sa.String(length=64), nullable=True),
    sa.Column('step', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('hash')
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('documents',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=512), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('stored_path', sa.String(length=1024), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('invoices',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('document_sha256', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=512), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('vendor_id', sa.String(length=64), nullable=True),
    sa.Column('vendor_name', sa.String(length=256), nullable=True),
    sa.Column('invoice_number', sa.String(length=128), nullable=True),
    sa.Column('invoice_number_key', sa.String(length=128), nullable=True),
    sa.Column('invoice_date', sa.Date(), nullable=True),
    sa.Column('po_number', sa.String(length=64), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('subtotal', store.tables.Money(precision=18, scale=4), nullable=True),
    sa.Column('tax', store.tables.Money(precision=18, scale=4), nullable=True),
    sa.Column('total', store.tables.Money(precision=18, scale=4), nullable=True),
    sa.Column('extraction', sa.JSON(), nullable=True),
    sa.Column('primary_pattern', sa.String(length=40), nullable=True),
    sa.Column('explanation', sa.Text(), nullable=True),
    sa.Column('model_explanation', sa.Text(), nullable=True),
    sa.Column('classification_source', sa.String(length=20), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('approver_role', sa.String(length=40), nullable=True),
    sa.Column('four_eyes', sa.Boolean(), nullable=False),
    sa.Column('policy_version', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_sha256'], ['documents.sha256'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_sha256')
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoices_decision'), ['decision'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoices_po_number'), ['po_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoices_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoices_status'), ['status'], unique=False)
        batch_op.create_index('ix_invoices_vendor_number', ['vendor_id', 'invoice_number_key'], unique=False)
        batch_op.create_index('ix_invoices_vendor_total', ['vendor_id', 'total'], unique=False)

    op.create_table('findings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('invoice_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('amount', store.tables.Money(precision=18, scale=4), nullable=True),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_findings_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('model_calls',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('invoice_id', sa.String(length=64), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('model', sa.String(length=128), nullable=False),
    sa.Column('prompt_version', sa.String(length=40), nullable=False),
    sa.Column('cached', sa.Boolean(), nullable=False),
    sa.Column('prompt_tokens', sa.Integer(), nullable=False),
    sa.Column('completion_tokens', sa.Integer(), nullable=False),
    sa.Column('cost', store.tables.Money(precision=18, scale=4), nullable=False),
    sa.Column('latency_ms', sa.Integer(), nullable=False),
    sa.Column('answer', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('model_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_model_calls_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('vouchers',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('invoice_id', sa.String(length=64), nullable=False),
    sa.Column('vendor_id', sa.String(length=64), nullable=False),
    sa.Column('invoice_number', sa.String(length=128), nullable=False),
    sa.Column('invoice_date', sa.Date(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount', store.tables.Money(precision=18, scale=4), nullable=False),
    sa.Column('po_number', sa.String(length=64), nullable=True),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('invoice_id')
    )



def downgrade() -> None:

    op.drop_table('vouchers')
    with op.batch_alter_table('model_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_model_calls_invoice_id'))

    op.drop_table('model_calls')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_findings_code'))

    op.drop_table('findings')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_invoices_vendor_total')
        batch_op.drop_index('ix_invoices_vendor_number')
        batch_op.drop_index(batch_op.f('ix_invoices_status'))
        batch_op.drop_index(batch_op.f('ix_invoices_seq'))
        batch_op.drop_index(batch_op.f('ix_invoices_po_number'))
        batch_op.drop_index(batch_op.f('ix_invoices_decision'))

    op.drop_table('invoices')
    op.drop_table('documents')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_invoice_id'))

    op.drop_table('audit_events')

