"""trustworthy figures: revision origins, course completions, reading-time ledger, newcomer dates

Revision ID: b14a7c2e9d01
Revises: 416717a30d20
Create Date: 2026-12-03 07:40:00

Adds where each module/quiz revision came from (file or studio), the raw course completions
(a completion once earned stays earned), the reading-time verdicts of progress events and the
per-day reading ledger, when each officer came under their office and region, and the time to
finish an assignment gives newcomers. Existing data is carried over: revisions noted
"Impor kurikulum" without an author came from the files; every officer who has every live
module of a course done gets an open completion dated by their last module; assignments with a
due date keep the period their first officers had.
"""
from alembic import op
import sqlalchemy as sa
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import learning.models.base

revision = 'b14a7c2e9d01'
down_revision = '416717a30d20'
branch_labels = None
depends_on = None

UTC_TYPE = learning.models.base.UTCDateTime(timezone=True)


def _origin_columns(table: str) -> None:
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=8), nullable=False,
                                      server_default='studio'))
        batch_op.add_column(sa.Column('file_sha256', sa.String(length=64), nullable=True))
    op.execute(sa.text(f"UPDATE {table} SET origin = 'file' "
                       "WHERE note = 'Impor kurikulum' AND author_id IS NULL"))


def _completions_backfill(bind) -> None:
    empty = "CAST('{}' AS JSONB)" if bind.dialect.name == "postgresql" else "'{}'"
    op.execute(sa.text(f"""
        INSERT INTO course_completions (user_id, course_id, completed_at, revisions, recorded_at)
        SELECT p.user_id, m.course_id, MAX(p.completed_at), {empty}, CURRENT_TIMESTAMP
        FROM module_progress p JOIN modules m ON m.id = p.module_id
        JOIN users u ON u.id = p.user_id
        WHERE m.published_revision_id IS NOT NULL AND m.retired_at IS NULL
          AND p.completed_at IS NOT NULL AND p.updated_since_completion = :false
          AND u.role = 'officer'
        GROUP BY p.user_id, m.course_id
        HAVING COUNT(*) >= (SELECT COUNT(*) FROM modules t WHERE t.course_id = m.course_id
                            AND t.published_revision_id IS NOT NULL AND t.retired_at IS NULL)
    """).bindparams(false=False))
    op.execute(sa.text("""
        UPDATE course_standings SET earned_at = (
            SELECT c.completed_at FROM course_completions c
            WHERE c.user_id = course_standings.user_id AND c.course_id = course_standings.course_id
              AND c.closed_at IS NULL)
    """))


def _period_backfill(bind) -> None:
    zone = ZoneInfo("Asia/Jakarta")
    rows = bind.execute(sa.text(
        "SELECT id, due_date, created_at FROM assignments WHERE due_date IS NOT NULL")).all()
    for assignment_id, due, created in rows:
        if isinstance(due, str):
            due = date.fromisoformat(due[:10])
        if isinstance(created, str):
            created = datetime.fromisoformat(created)
        if created.tzinfo is None:
            created = created.replace(tzinfo=timezone.utc)
        days = max((due - created.astimezone(zone).date()).days, 0)
        bind.execute(sa.text("UPDATE assignments SET period_days = :d WHERE id = :i"),
                     {"d": days, "i": assignment_id})


def upgrade():
    bind = op.get_bind()
    _origin_columns('module_revisions')
    _origin_columns('quiz_revisions')
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('office_since', UTC_TYPE, nullable=True))
        batch_op.add_column(sa.Column('region_since', UTC_TYPE, nullable=True))
    with op.batch_alter_table('assignments') as batch_op:
        batch_op.add_column(sa.Column('period_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('newcomer_days', sa.Integer(), nullable=True))
    with op.batch_alter_table('progress_events') as batch_op:
        batch_op.add_column(sa.Column('verdict', sa.String(length=16), nullable=False,
                                      server_default='ok'))
        batch_op.add_column(sa.Column('credited_seconds', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('refused_seconds', sa.Integer(), nullable=False,
                                      server_default='0'))
    op.create_table(
        'reading_days',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('module_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('credited_seconds', sa.Integer(), nullable=False),
        sa.Column('refused_seconds', sa.Integer(), nullable=False),
        sa.Column('first_at', UTC_TYPE, nullable=False),
        sa.Column('last_at', UTC_TYPE, nullable=False),
        sa.ForeignKeyConstraint(['module_id'], ['modules.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'module_id', 'day'))
    op.create_table(
        'course_completions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('completed_at', UTC_TYPE, nullable=False),
        sa.Column('revisions', sa.JSON().with_variant(sa.dialects.postgresql.JSONB(),
                                                      'postgresql'), nullable=False),
        sa.Column('recorded_at', UTC_TYPE, nullable=False),
        sa.Column('closed_at', UTC_TYPE, nullable=True),
        sa.Column('closed_reason', sa.String(length=24), nullable=True),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('course_completions') as batch_op:
        batch_op.create_index('ix_course_completions_user_course', ['user_id', 'course_id'])
        batch_op.create_index(batch_op.f('ix_course_completions_course_id'), ['course_id'])
    with op.batch_alter_table('course_standings') as batch_op:
        batch_op.add_column(sa.Column('earned_at', UTC_TYPE, nullable=True))
    with op.batch_alter_table('certificates') as batch_op:
        batch_op.add_column(sa.Column('completion_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_certificates_completion', 'course_completions',
                                    ['completion_id'], ['id'])
    _completions_backfill(bind)
    _period_backfill(bind)


def downgrade():
    with op.batch_alter_table('certificates') as batch_op:
        batch_op.drop_constraint('fk_certificates_completion', type_='foreignkey')
        batch_op.drop_column('completion_id')
    with op.batch_alter_table('course_standings') as batch_op:
        batch_op.drop_column('earned_at')
    op.drop_table('course_completions')
    op.drop_table('reading_days')
    with op.batch_alter_table('progress_events') as batch_op:
        for name in ('refused_seconds', 'credited_seconds', 'verdict'):
            batch_op.drop_column(name)
    with op.batch_alter_table('assignments') as batch_op:
        batch_op.drop_column('newcomer_days')
        batch_op.drop_column('period_days')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('region_since')
        batch_op.drop_column('office_since')
    for table in ('quiz_revisions', 'module_revisions'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('file_sha256')
            batch_op.drop_column('origin')
