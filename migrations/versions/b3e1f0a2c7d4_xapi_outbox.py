"""xAPI outbox: statements waiting for the learning record store

Revision ID: b3e1f0a2c7d4
Revises: c1a5e7d20b16
Create Date: 2026-12-03 08:05:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import learning.models.base

revision = 'b3e1f0a2c7d4'
down_revision = 'c1a5e7d20b16'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'xapi_statements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('statement_id', sa.String(length=36), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('verb', sa.String(length=24), nullable=False),
        sa.Column('statement', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'),
                  nullable=False),
        sa.Column('occurred_at', learning.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_at', learning.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', learning.models.base.UTCDateTime(timezone=True),
                  nullable=False),
        sa.Column('claimed_by', sa.String(length=36), nullable=True),
        sa.Column('claimed_at', learning.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('sent_at', learning.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('statement_id'),
    )
    op.create_index('ix_xapi_statements_due', 'xapi_statements', ['status', 'next_attempt_at'])
    op.create_index(op.f('ix_xapi_statements_user_id'), 'xapi_statements', ['user_id'])


def downgrade():
    op.drop_index(op.f('ix_xapi_statements_user_id'), table_name='xapi_statements')
    op.drop_index('ix_xapi_statements_due', table_name='xapi_statements')
    op.drop_table('xapi_statements')
