"""carriers, their services and zone charts; customers' preferred carrier

Revision ID: b7e2c0a4d913
Revises: d7a1e5c0b2f4
Create Date: 2026-11-30 15:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e2c0a4d913'
down_revision = 'd7a1e5c0b2f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('carriers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('tracking_format', sa.String(length=20), nullable=False),
    sa.Column('webhook_secret', sa.String(length=200), nullable=False),
    sa.Column('zone_bands', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('carrier_services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('carrier_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('handling', sa.JSON(), nullable=False),
    sa.Column('max_weight_kg', sa.Numeric(precision=10, scale=3), nullable=False),
    sa.Column('max_length_cm', sa.Numeric(precision=8, scale=1), nullable=True),
    sa.Column('dim_divisor_cm3_per_kg', sa.Numeric(precision=10, scale=1), nullable=False),
    sa.Column('fuel_pct', sa.Numeric(precision=6, scale=3), nullable=False),
    sa.Column('residential_fee', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('remote_zip3', sa.JSON(), nullable=False),
    sa.Column('remote_fee', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('transit_days', sa.JSON(), nullable=False),
    sa.Column('rates', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['carrier_id'], ['carriers.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('carrier_id', 'code', name='uq_carrier_service_code')
    )
    op.create_index(op.f('ix_carrier_services_carrier_id'), 'carrier_services', ['carrier_id'], unique=False)
    op.create_table('carrier_zone_chart',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('carrier_id', sa.Integer(), nullable=False),
    sa.Column('origin_zip3', sa.String(length=3), nullable=False),
    sa.Column('dest_zip3_from', sa.String(length=3), nullable=False),
    sa.Column('dest_zip3_to', sa.String(length=3), nullable=False),
    sa.Column('zone', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['carrier_id'], ['carriers.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_carrier_zone_chart_carrier_id'), 'carrier_zone_chart', ['carrier_id'], unique=False)
    with op.batch_alter_table('customers') as batch:
        batch.add_column(sa.Column('preferred_carrier', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('preferred_service', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('customers') as batch:
        batch.drop_column('preferred_service')
        batch.drop_column('preferred_carrier')
    op.drop_index(op.f('ix_carrier_zone_chart_carrier_id'), table_name='carrier_zone_chart')
    op.drop_table('carrier_zone_chart')
    op.drop_index(op.f('ix_carrier_services_carrier_id'), table_name='carrier_services')
    op.drop_table('carrier_services')
    op.drop_table('carriers')
