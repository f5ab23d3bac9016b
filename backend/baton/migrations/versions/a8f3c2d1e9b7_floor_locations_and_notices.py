"""floor locations (location kind), put-away sources and notices on tasks and stops

Revision ID: a8f3c2d1e9b7
Revises: a9d3c5e1f7b2
Create Date: 2026-11-30 14:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8f3c2d1e9b7'
down_revision = 'a9d3c5e1f7b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=12), server_default='bin', nullable=False))
        batch_op.create_index(batch_op.f('ix_locations_kind'), ['kind'], unique=False)

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice', sa.JSON(), nullable=True))

    with op.batch_alter_table('task_stops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_location_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('notice', sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            'fk_task_stops_source_location_id_locations', 'locations', ['source_location_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('task_stops', schema=None) as batch_op:
        batch_op.drop_constraint('fk_task_stops_source_location_id_locations', type_='foreignkey')
        batch_op.drop_column('notice')
        batch_op.drop_column('source_location_id')

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('notice')

    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_locations_kind'))
        batch_op.drop_column('kind')
