"""Module history in the studio: every revision with who, when and why; diffs; restore."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.studio import authoring as studio, diff as revision_diff
from learning.extensions import db
from learning.web.access import staff_required
from learning.web.forms import EmptyForm
from .modules import bp, find_module
from learning.studio.forms import FIELD_LABELS


def diff_numbers(revisions, published_id: int | None) -> tuple[int, int]:
    """The pair to compare when none is asked for: published -> latest, else previous -> latest."""
    if not revisions:
        return 0, 0
    latest = revisions[0]
    published = next((r for r in revisions if r.id == published_id), None)
    if published is not None and published.number != latest.number:
        return published.number, latest.number
    return (revisions[1].number if len(revisions) > 1 else latest.number), latest.number


def requested_pair(revisions, published_id: int | None) -> tuple[int, int]:
    default_from, default_to = diff_numbers(revisions, published_id)
    return (request.args.get("from", default_from, type=int),
            request.args.get("to", default_to, type=int))


@bp.get("/modules/<int:module_id>/history")
@staff_required
def module_history(module_id: int):
    module = find_module(module_id)
    revisions = studio.module_revisions(module)
    default_from, default_to = diff_numbers(revisions, module.published_revision_id)
    return render_template(
        "studio/history.html", kind="module", owner=module, title=module.title,
        revisions=revisions, published_id=module.published_revision_id,
        default_from=default_from, default_to=default_to, form=EmptyForm(),
        diff_endpoint="studio.module_diff", view_endpoint="studio.module_revision",
        restore_endpoint="studio.restore_module_revision", edit_url=url_for(
            "studio.edit_module", module_id=module.id), id_arg={"module_id": module.id})


@bp.get("/modules/<int:module_id>/diff")
@staff_required
def module_diff(module_id: int):
    module = find_module(module_id)
    revisions = studio.module_revisions(module)
    if not revisions:
        return redirect(url_for("studio.module_history", module_id=module.id))
    old_number, new_number = requested_pair(revisions, module.published_revision_id)
    old = studio.module_revision(module, old_number)
    new = studio.module_revision(module, new_number)
    if old is None or new is None:
        abort(404)
    return render_template(
        "studio/diff.html", kind="module", owner=module, title=module.title,
        diff=revision_diff.module_diff(old, new), old=old, new=new, revisions=revisions,
        field_labels=FIELD_LABELS,
        history_url=url_for("studio.module_history", module_id=module.id),
        diff_url=url_for("studio.module_diff", module_id=module.id))


@bp.get("/modules/<int:module_id>/revisions/<int:number>")
@staff_required
def module_revision(module_id: int, number: int):
    module = find_module(module_id)
    revision = studio.module_revision(module, number)
    if revision is None:
        abort(404)
    return render_template("studio/module_revision.html", module=module, revision=revision,
                           published=revision.id == module.published_revision_id,
                           form=EmptyForm())


@bp.post("/modules/<int:module_id>/revisions/<int:number>/restore")
@staff_required
def restore_module_revision(module_id: int, number: int):
    module = find_module(module_id)
    revision = studio.module_revision(module, number)
    if revision is None:
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    restored = studio.restore_module_revision(module, revision, current_user)
    db.session.commit()
    flash(_("Revisi %(old)s dipulihkan sebagai draf baru (revisi %(new)s). Terbitkan agar "
            "petugas membacanya.", old=revision.number, new=restored.number), "success")
    return redirect(url_for("studio.edit_module", module_id=module.id))
