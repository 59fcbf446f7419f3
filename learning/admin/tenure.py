"""When an officer came under their office and region: `User.office_since` and
`User.region_since`, set whenever a flush changes an officer's office (whichever path changed it:
the people pages, a CSV import, `flask users`). Office- and region-wide assignments count a
newcomer's own time to finish from these (learning.admin.coverage). NULL means "since the
account was created"."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from learning.models import Office, User, utcnow


def _region_of(session, office_id):
    if office_id is None:
        return None
    office = session.get(Office, office_id)
    return office.region_id if office is not None else None


@event.listens_for(Session, "before_flush")
def _note_moves(session, _flush_context, _instances) -> None:
    for user in session.dirty:
        if not isinstance(user, User):
            continue
        history = sa.inspect(user).attrs.office_id.history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = user.office_id
        if old == new:
            continue
        now = utcnow()
        user.office_since = now
        if _region_of(session, old) != _region_of(session, new):
            user.region_since = now
