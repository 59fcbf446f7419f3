"""login throttles: failed sign-in counters shared by every worker (no Redis needed)

Revision ID: c1a5e7d20b16
Revises: 719be84823ae
Create Date: 2026-12-03 07:50:00

"""
from alembic import op
import sqlalchemy as sa

import learning.models.base

revision = 'c1a5e7d20b16'
down_revision = '719be84823ae'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'login_throttles',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.Column('window_ends', learning.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_index(op.f('ix_login_throttles_window_ends'), 'login_throttles', ['window_ends'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_login_throttles_window_ends'), table_name='login_throttles')
    op.drop_table('login_throttles')
