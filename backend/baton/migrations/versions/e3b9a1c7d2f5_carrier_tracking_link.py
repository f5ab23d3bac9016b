"""Carriers may name their own tracking page (the public tracking page links to it)

Revision ID: e3b9a1c7d2f5
Revises: fd95e6557941
Create Date: 2026-11-30 17:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3b9a1c7d2f5'
down_revision = 'fd95e6557941'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('carriers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracking_link', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('carriers', schema=None) as batch_op:
        batch_op.drop_column('tracking_link')
