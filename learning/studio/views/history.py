"""Revision history in the studio, one set of views for modules and quizzes: every revision with
who, when and why; the difference between two; one revision read in full; restore as a new draft.

Each kind (module, quiz) is described once in `KINDS`; the routes and their endpoint names
(`studio.module_history`, `studio.quiz_diff`, ...) are made from it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.content.errors import ContentError
from learning.extensions import db
from learning.studio import authoring as studio, diff as revision_diff, quizzes as studio_quizzes
from learning.studio.forms import FIELD_LABELS
from learning.web.access import staff_required
from learning.web.forms import EmptyForm
from .modules import bp, find_module
from .quizzes import find_quiz
from learning.web.bounded_input import arg_int


@dataclass(frozen=True)
class RevisionKind:
    name: str  # "module" or "quiz": the endpoint prefix and the templates' `kind`
    path: str  # URL segment: "modules" or "quizzes"
    find: Callable  # owner id -> owner, or 404
    revisions: Callable  # owner -> revisions, newest first
    revision: Callable  # (owner, number) -> revision or None
    restore: Callable  # (owner, revision, actor) -> the new draft revision
    diff: Callable  # (old, new) -> RevisionDiff
    restored_message: Callable[[int, int], str]

    @property
    def id_arg(self) -> str:
        return f"{self.name}_id"

    def endpoint(self, view: str) -> str:
        return f"studio.{view.format(kind=self.name)}"

    def url(self, view: str, owner, **values) -> str:
        return url_for(self.endpoint(view), **{self.id_arg: owner.id}, **values)


KINDS = (
    RevisionKind(
        "module", "modules", find_module, studio.module_revisions, studio.module_revision,
        studio.restore_module_revision, revision_diff.module_diff,
        lambda old, new: _("Revisi %(old)s dipulihkan sebagai draf baru (revisi %(new)s). "
                           "Terbitkan agar petugas membacanya.", old=old, new=new)),
    RevisionKind(
        "quiz", "quizzes", find_quiz, studio_quizzes.quiz_revisions, studio_quizzes.quiz_revision,
        studio_quizzes.restore_quiz_revision, revision_diff.quiz_diff,
        lambda old, new: _("Revisi kuis %(old)s dipulihkan sebagai draf baru (revisi %(new)s). "
                           "Terbitkan agar petugas memakainya.", old=old, new=new)),
)


def diff_numbers(revisions, published_id: int | None) -> tuple[int, int]:
    """The pair to compare when none is asked for: published -> latest, else previous -> latest."""
    if not revisions:
        return 0, 0
    latest = revisions[0]
    published = next((r for r in revisions if r.id == published_id), None)
    if published is not None and published.number != latest.number:
        return published.number, latest.number
    return (revisions[1].number if len(revisions) > 1 else latest.number), latest.number


def _found(kind: RevisionKind, owner, number: int):
    revision = kind.revision(owner, number)
    if revision is None:
        abort(404)
    return revision


def history(kind: RevisionKind, owner_id: int):
    owner = kind.find(owner_id)
    revisions = kind.revisions(owner)
    default_from, default_to = diff_numbers(revisions, owner.published_revision_id)
    return render_template(
        "studio/history.html", kind=kind.name, owner=owner, title=owner.title,
        revisions=revisions, published_id=owner.published_revision_id,
        default_from=default_from, default_to=default_to, form=EmptyForm(),
        diff_endpoint=kind.endpoint("{kind}_diff"), view_endpoint=kind.endpoint("{kind}_revision"),
        restore_endpoint=kind.endpoint("restore_{kind}_revision"),
        edit_url=kind.url("edit_{kind}", owner), id_arg={kind.id_arg: owner.id})


def diff(kind: RevisionKind, owner_id: int):
    owner = kind.find(owner_id)
    revisions = kind.revisions(owner)
    if not revisions:
        return redirect(kind.url("{kind}_history", owner))
    default_from, default_to = diff_numbers(revisions, owner.published_revision_id)
    old = _found(kind, owner, arg_int("from", default_from))
    new = _found(kind, owner, arg_int("to", default_to))
    return render_template(
        "studio/diff.html", kind=kind.name, owner=owner, title=owner.title,
        diff=kind.diff(old, new), old=old, new=new, revisions=revisions,
        field_labels=FIELD_LABELS, history_url=kind.url("{kind}_history", owner),
        diff_url=kind.url("{kind}_diff", owner))


def revision(kind: RevisionKind, owner_id: int, number: int):
    owner = kind.find(owner_id)
    found = _found(kind, owner, number)
    return render_template(f"studio/{kind.name}_revision.html", **{kind.name: owner},
                           revision=found, published=found.id == owner.published_revision_id,
                           form=EmptyForm())


def restore(kind: RevisionKind, owner_id: int, number: int):
    owner = kind.find(owner_id)
    found = _found(kind, owner, number)
    if not EmptyForm().validate():
        abort(400)
    try:
        restored = kind.restore(owner, found, current_user)
    except ContentError as exc:
        db.session.rollback()
        flash(_("Revisi %(n)s tidak dapat dipulihkan: baris %(line)s: %(message)s",
                n=found.number, line=exc.line or "-", message=exc.message), "error")
        return redirect(kind.url("{kind}_history", owner))
    db.session.commit()
    flash(kind.restored_message(found.number, restored.number), "success")
    return redirect(kind.url("edit_{kind}", owner))


def _register(kind: RevisionKind) -> None:
    def bound(view):
        def handler(**values):
            return view(kind, values.pop(kind.id_arg), **values)
        return staff_required(handler)

    base = f"/{kind.path}/<int:{kind.id_arg}>"
    bp.add_url_rule(f"{base}/history", f"{kind.name}_history", bound(history))
    bp.add_url_rule(f"{base}/diff", f"{kind.name}_diff", bound(diff))
    bp.add_url_rule(f"{base}/revisions/<int:number>", f"{kind.name}_revision", bound(revision))
    bp.add_url_rule(f"{base}/revisions/<int:number>/restore", f"restore_{kind.name}_revision",
                    bound(restore), methods=["POST"])


for _kind in KINDS:
    _register(_kind)
