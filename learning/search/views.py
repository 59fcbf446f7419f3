"""/search: one box in the header for officers, trainers and administrators."""
from __future__ import annotations

from flask import render_template, request
from flask_login import login_required

from learning.laws.changes import modules_under_review
from .blueprint import bp
from .querying import MAX_QUERY_CHARS, search


@bp.get("/search")
@login_required
def results():
    query = " ".join((request.args.get("q") or "").split())[:MAX_QUERY_CHARS]
    answer = search(query) if query else None
    terms, modules, laws = [], [], []
    if answer is not None:
        wanted = {w.casefold() for w in answer.words}
        for result in answer.results:
            if result.kind == "glossary":
                terms.append(result)
            elif result.kind == "law":
                laws.append(result)
            else:
                modules.append(result)
        # A term asked for by name ("apa itu LPSK?") is the answer: it goes above the modules.
        exact = [t for t in terms if t.title.split(":", 1)[0].casefold() in wanted]
        terms = exact + [t for t in terms if t not in exact]
    reviewing = modules_under_review([r.module.id for r in modules]) if modules else set()
    return render_template("search/results.html", query=query, answer=answer, terms=terms[:5],
                           modules=modules, laws=laws[:5], reviewing=reviewing,
                           terms_first=bool(terms) and terms[0].title.split(":", 1)[0].casefold()
                           in {w.casefold() for w in (answer.words if answer else [])})
