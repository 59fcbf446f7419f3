"""quiz grants: extra attempts or minutes on a quiz for one officer (issue 19)

Revision ID: e19a6c0f2b71
Revises: b7d41c9e2a15
Create Date: 2026-12-03 09:05:00

"""
from alembic import op
import sqlalchemy as sa

import learning.models.base

revision = 'e19a6c0f2b71'
down_revision = 'b7d41c9e2a15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'quiz_grants',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('quiz_id', sa.Integer(), nullable=False),
        sa.Column('extra_attempts', sa.Integer(), nullable=False),
        sa.Column('extra_minutes', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('granted_by_id', sa.Integer(), nullable=True),
        sa.Column('granted_at', learning.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id']),
        sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_quiz_grants_user_quiz', 'quiz_grants', ['user_id', 'quiz_id'])
    op.create_index(op.f('ix_quiz_grants_quiz_id'), 'quiz_grants', ['quiz_id'])


def downgrade():
    op.drop_index(op.f('ix_quiz_grants_quiz_id'), table_name='quiz_grants')
    op.drop_index('ix_quiz_grants_user_quiz', table_name='quiz_grants')
    op.drop_table('quiz_grants')
