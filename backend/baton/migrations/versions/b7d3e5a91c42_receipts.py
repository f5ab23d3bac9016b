"""Receipts against purchase orders: receipt lines with lot and expiry, PO sent_at, supplier tolerance

Revision ID: b7d3e5a91c42
Revises: ad5e079ea5f0
Create Date: 2026-11-30 21:20:00

"""
from alembic import op
import sqlalchemy as sa

import baton.models.base


revision = 'b7d3e5a91c42'
down_revision = 'ad5e079ea5f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purchase_order_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('lead_time_days', sa.Numeric(precision=8, scale=3), nullable=True),
    sa.Column('on_time', sa.Boolean(), nullable=True),
    sa.Column('in_full', sa.Boolean(), nullable=False),
    sa.Column('received_at', baton.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['purchase_order_id'], ['purchase_orders.id'], ),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], ),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipts_purchase_order_id'), ['purchase_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipts_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipts_warehouse_id'), ['warehouse_id'], unique=False)
    op.create_table('receipt_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('damaged', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('lot', sa.String(length=40), nullable=True),
    sa.Column('expiry', sa.Date(), nullable=True),
    sa.Column('cross_docked', sa.Integer(), nullable=False),
    sa.CheckConstraint('qty >= 1', name='ck_receipt_line_qty'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], ),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('receipt_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_lines_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipt_lines_receipt_id'), ['receipt_id'], unique=False)
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_at', baton.models.base.UtcDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('over_receipt_pct', sa.Numeric(precision=6, scale=3), server_default='5', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_column('over_receipt_pct')
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.drop_column('sent_at')
    op.drop_table('receipt_lines')
    op.drop_table('receipts')
