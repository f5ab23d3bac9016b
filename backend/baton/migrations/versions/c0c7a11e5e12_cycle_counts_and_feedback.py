"""cycle counts by ABC class; customer ratings and follow-ups

Revision ID: c0c7a11e5e12
Revises: 5b1c7e2a9d40
Create Date: 2026-11-30 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0c7a11e5e12'
down_revision = '5b1c7e2a9d40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cycle_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('abc_class', sa.String(length=1), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('recount_of_id', sa.Integer(), nullable=True),
    sa.Column('not_for_id', sa.Integer(), nullable=True),
    sa.Column('expected', sa.Integer(), nullable=True),
    sa.Column('counted', sa.Integer(), nullable=True),
    sa.Column('within_tolerance', sa.Boolean(), nullable=True),
    sa.Column('adjusted', sa.Integer(), nullable=False),
    sa.Column('accurate', sa.Boolean(), nullable=True),
    sa.Column('counted_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('counted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['counted_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], ),
    sa.ForeignKeyConstraint(['not_for_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], ),
    sa.ForeignKeyConstraint(['recount_of_id'], ['cycle_counts.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], ),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('task_id')
    )
    op.create_index('ix_cycle_counts_bin', 'cycle_counts', ['location_id', 'product_id'], unique=False)
    op.create_index(op.f('ix_cycle_counts_warehouse_id'), 'cycle_counts', ['warehouse_id'], unique=False)
    op.create_index(op.f('ix_cycle_counts_status'), 'cycle_counts', ['status'], unique=False)
    op.create_index(op.f('ix_cycle_counts_opened_at'), 'cycle_counts', ['opened_at'], unique=False)
    op.create_index(op.f('ix_cycle_counts_closed_at'), 'cycle_counts', ['closed_at'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.String(length=2000), nullable=False),
    sa.Column('edits', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id')
    )
    op.create_index(op.f('ix_ratings_customer_id'), 'ratings', ['customer_id'], unique=False)
    op.create_index(op.f('ix_ratings_updated_at'), 'ratings', ['updated_at'], unique=False)
    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('rating_id')
    )
    op.create_index(op.f('ix_follow_ups_assignee_id'), 'follow_ups', ['assignee_id'], unique=False)
    op.create_index(op.f('ix_follow_ups_customer_id'), 'follow_ups', ['customer_id'], unique=False)
    op.create_index(op.f('ix_follow_ups_order_id'), 'follow_ups', ['order_id'], unique=False)
    op.create_index(op.f('ix_follow_ups_status'), 'follow_ups', ['status'], unique=False)


def downgrade():
    op.drop_table('follow_ups')
    op.drop_table('ratings')
    op.drop_table('cycle_counts')
