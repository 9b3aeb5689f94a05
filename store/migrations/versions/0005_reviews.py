"""reviews: reviewer registry, review cases, submissions, feedback; invoices.proposal

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal', sa.String(length=20), nullable=True))

    op.create_table('reviewers',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('code_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('reviews',
    sa.Column('invoice_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('flow_run_id', sa.String(length=36), nullable=True),
    sa.Column('required_role', sa.String(length=40), nullable=False),
    sa.Column('four_eyes', sa.Boolean(), nullable=False),
    sa.Column('proposal', sa.String(length=20), nullable=True),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('agreed', sa.Boolean(), nullable=True),
    sa.Column('approvers', sa.JSON(), nullable=False),
    sa.Column('correctors', sa.JSON(), nullable=False),
    sa.Column('submissions', sa.Integer(), nullable=False),
    sa.Column('last_message', sa.Text(), nullable=True),
    sa.Column('held_by', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], ),
    sa.PrimaryKeyConstraint('invoice_id')
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_status'), ['status'], unique=False)

    op.create_table('review_actions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('invoice_id', sa.String(length=64), nullable=False),
    sa.Column('input_key', sa.String(length=80), nullable=False),
    sa.Column('reviewer', sa.String(length=80), nullable=False),
    sa.Column('reviewer_role', sa.String(length=40), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('corrections', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_actions_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index('ux_review_actions_invoice_key', ['invoice_id', 'input_key'], unique=True)

    op.create_table('feedback',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('invoice_id', sa.String(length=64), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('reviewer', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_invoice_id'), ['invoice_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_invoice_id'))
    op.drop_table('feedback')
    with op.batch_alter_table('review_actions', schema=None) as batch_op:
        batch_op.drop_index('ux_review_actions_invoice_key')
        batch_op.drop_index(batch_op.f('ix_review_actions_invoice_id'))
    op.drop_table('review_actions')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_status'))
    op.drop_table('reviews')
    op.drop_table('reviewers')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_column('proposal')
