"""Warehouses have a time zone: where the floor's day starts ("today" on the board)

Revision ID: c8e1f0a2b3d4
Revises: b7e4c2a91f03
Create Date: 2026-12-01 10:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8e1f0a2b3d4'
down_revision = 'b7e4c2a91f03'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('warehouses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), server_default='UTC', nullable=False))


def downgrade():
    with op.batch_alter_table('warehouses', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
