"""Demand forecasts per SKU x warehouse and per warehouse's orders and lines (issue 12 sections 2-3)

Revision ID: f04eca57d3a1
Revises: r3t0a9b1c2d4
Create Date: 2026-11-30 21:05:00

"""
from alembic import op
import sqlalchemy as sa

import baton.models.base


# revision identifiers, used by Alembic.
revision = 'f04eca57d3a1'
down_revision = 'r3t0a9b1c2d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('demand_forecasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('series', sa.String(length=10), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('model', sa.String(length=40), nullable=False),
    sa.Column('mae', sa.Float(), nullable=True),
    sa.Column('mase', sa.Float(), nullable=True),
    sa.Column('yearly', sa.Boolean(), nullable=False),
    sa.Column('history_days', sa.Integer(), nullable=False),
    sa.Column('history_ends_on', sa.Date(), nullable=False),
    sa.Column('forecast', sa.JSON(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('candidates', sa.JSON(), nullable=False),
    sa.Column('computed_at', baton.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], ),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('warehouse_id', 'series', 'product_id', name='uq_demand_forecast')
    )
    with op.batch_alter_table('demand_forecasts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demand_forecasts_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_forecasts_warehouse_id'), ['warehouse_id'], unique=False)


def downgrade():
    with op.batch_alter_table('demand_forecasts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demand_forecasts_warehouse_id'))
        batch_op.drop_index(batch_op.f('ix_demand_forecasts_product_id'))
    op.drop_table('demand_forecasts')
