"""returns (RMAs), their lines and receipts; customers' prepaid return labels

Revision ID: r3t0a9b1c2d4
Revises: b7d3e5a91c42
Create Date: 2026-11-30 21:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'r3t0a9b1c2d4'
down_revision = 'b7d3e5a91c42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('return_label', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table('returns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rma', sa.String(length=20), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('resolution', sa.String(length=20), nullable=False),
    sa.Column('request_key', sa.String(length=64), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('label_carrier', sa.String(length=32), nullable=True),
    sa.Column('label_service', sa.String(length=40), nullable=True),
    sa.Column('label_tracking_number', sa.String(length=40), nullable=True),
    sa.Column('label_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('refund_status', sa.String(length=20), nullable=False),
    sa.Column('refund_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('credit_note_id', sa.Integer(), nullable=True),
    sa.Column('credit_note_number', sa.String(length=40), nullable=True),
    sa.Column('exchange_order_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('authorized_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.ForeignKeyConstraint(['exchange_order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_key'),
    sa.UniqueConstraint('rma')
    )
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_returns_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_returns_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_returns_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_returns_warehouse_id'), ['warehouse_id'], unique=False)

    op.create_table('return_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('unit_value', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], ),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_lines_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_lines_order_line_id'), ['order_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_lines_return_id'), ['return_id'], unique=False)

    op.create_table('return_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('return_line_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=True),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('disposition', sa.String(length=20), nullable=False),
    sa.Column('lot', sa.String(length=40), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=True),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('photo_type', sa.String(length=20), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], ),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['return_line_id'], ['return_lines.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('client_id')
    )
    with op.batch_alter_table('return_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_receipts_return_id'), ['return_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_receipts_return_line_id'), ['return_line_id'], unique=False)


def downgrade():
    op.drop_table('return_receipts')
    op.drop_table('return_lines')
    op.drop_table('returns')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('return_label')
