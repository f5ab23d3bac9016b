"""Lots and expiry: lots, a per-lot sub-ledger under each stock row, lot-tracked products, customers' minimum
remaining shelf life, the lot on reservations, stock movements and transfer lines

Revision ID: b7e4c2a91f03
Revises: c0c7a11e5e12
Create Date: 2026-11-30 21:05:00

"""
from alembic import op
import sqlalchemy as sa

import baton.models.base


revision = 'b7e4c2a91f03'
down_revision = 'c0c7a11e5e12'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=True),
    sa.Column('blocked', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('blocked_reason', sa.String(length=200), nullable=True),
    sa.Column('blocked_at', baton.models.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', baton.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('product_id', 'code', name='uq_lot_product_code')
    )
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lots_product_id'), ['product_id'], unique=False)

    op.create_table('stock_lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stock_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('on_hand', sa.Integer(), nullable=False),
    sa.Column('reserved', sa.Integer(), nullable=False),
    sa.CheckConstraint('on_hand >= 0', name='ck_stock_lot_on_hand_non_negative'),
    sa.CheckConstraint('reserved >= 0', name='ck_stock_lot_reserved_non_negative'),
    sa.CheckConstraint('reserved <= on_hand', name='ck_stock_lot_reserved_within_on_hand'),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], ),
    sa.ForeignKeyConstraint(['stock_id'], ['stock.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('stock_id', 'lot_id', name='uq_stock_lot')
    )
    with op.batch_alter_table('stock_lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_lots_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_lots_stock_id'), ['stock_id'], unique=False)

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lot_tracked', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_shelf_life_days', sa.Integer(), nullable=True))
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lot_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reservations_lot_id'), ['lot_id'], unique=False)
        batch_op.create_foreign_key('fk_reservations_lot_id_lots', 'lots', ['lot_id'], ['id'])
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lot_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_stock_movements_lot_id'), ['lot_id'], unique=False)
        batch_op.create_foreign_key('fk_stock_movements_lot_id_lots', 'lots', ['lot_id'], ['id'])
    with op.batch_alter_table('transfer_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lots', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('transfer_lines', schema=None) as batch_op:
        batch_op.drop_column('lots')
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.drop_constraint('fk_stock_movements_lot_id_lots', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_stock_movements_lot_id'))
        batch_op.drop_column('lot_id')
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.drop_constraint('fk_reservations_lot_id_lots', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reservations_lot_id'))
        batch_op.drop_column('lot_id')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('min_shelf_life_days')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('lot_tracked')
    op.drop_table('stock_lots')
    op.drop_table('lots')
