"""hardening: quiz review mode, answers kept on the server after an expired session

Revision ID: b7d41c9e2a15
Revises: b14a7c2e9d01
Create Date: 2026-12-03 08:30:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import learning.models.base

# revision identifiers, used by Alembic.
revision = 'b7d41c9e2a15'
down_revision = 'b14a7c2e9d01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_revisions') as batch_op:
        batch_op.add_column(sa.Column('review', sa.String(length=16), nullable=False,
                                      server_default='topics'))
    op.create_table(
        'kept_answers',
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()),
                                                   'postgresql'), nullable=False),
        sa.Column('complete', sa.Boolean(), nullable=False),
        sa.Column('submit', sa.Boolean(), nullable=False),
        sa.Column('kept_at', learning.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('attempt_id'),
    )


def downgrade():
    op.drop_table('kept_answers')
    with op.batch_alter_table('quiz_revisions') as batch_op:
        batch_op.drop_column('review')
