"""axe-core on the register, law, search and review pages, for an officer and a trainer (no serious
or critical problem), at 360×740."""
from datetime import date

from learning.laws import changes
from learning.laws.register import law_by_key

from ..factories import PASSWORD, import_sample_curriculum, make_user
from .conftest import sign_in
from . import test_accessibility
from .test_accessibility import _assert_clean

checker = test_accessibility.checker  # the axe-core fixture, shared


def test_law_and_search_pages(checker, app, db, live_server):
    import_sample_curriculum()
    make_user(username="sari", full_name="Sari Wulandari")
    tina = make_user(role="trainer", username="tina", full_name="Tina Pelatih")
    change, _ = changes.record_change(law_by_key("uu-21-2007"), article="Pasal 2",
                                      changed_on=date(2026, 1, 2), changed_by="UU 1/2026",
                                      summary="Pidana dibaca menurut UU 1/2026.", actor=tina)
    review_id, change_id = change.reviews[0].id, change.id
    db.session.commit()  # and read nothing more: on SQLite an open read would hold the lock
    sign_in(checker.page, live_server, "sari", PASSWORD)
    for url in ["/search?q=Pasal+2", "/search?q=pasport", "/search", "/laws/", "/laws/uu-21-2007",
                "/courses/contoh/unsur"]:
        checker(url)
    checker.page.goto(live_server + "/")
    checker.page.get_by_role("button", name="Keluar").click()
    sign_in(checker.page, live_server, "tina", PASSWORD)
    for url in ["/laws/reviews", f"/laws/reviews/{review_id}", f"/laws/changes/{change_id}",
                "/laws/uu-21-2007/change", "/laws/uu-21-2007/edit", "/studio/"]:
        checker(url)
    _assert_clean(checker.found)
