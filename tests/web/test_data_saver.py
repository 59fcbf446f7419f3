"""Data saver ("Hemat data"): images in module text are held back until tapped."""
import re

import sqlalchemy as sa

from learning.models import Module
from learning.content.revisions import publish_module_revision, save_module_revision
from learning.learner.views.preferences import hide_images

from ..factories import import_sample_curriculum, login, make_user

MODULE = "/courses/contoh/penutup"
IMAGE = re.compile(r'<img [^>]*src="/media/peta.png"')


def _add_image(db):
    module = db.session.scalar(sa.select(Module).where(Module.slug == "penutup"))
    revision = save_module_revision(
        module, title=module.title, minutes=module.minutes, laws=module.laws, reviewed=None,
        source='Lihat peta.\n\n![Peta "desa" & jalan](/media/peta.png)\n', author=None)
    publish_module_revision(module, revision)
    db.session.commit()


def test_hide_images_turns_each_image_into_a_link_with_its_description():
    html = ('<p>a</p><img src="/media/a.png" alt="Peta &amp; jalan" loading="lazy" width="640" '
            'height="480"><img alt="" src="/media/b.png">')
    out = str(hide_images(html))
    assert "<img" not in out
    assert ('<a class="image-held" href="/media/a.png" data-src="/media/a.png" '
            'data-alt="Peta &amp; jalan" data-width="640" data-height="480">') in out
    assert "Gambar: Peta &amp; jalan (ketuk untuk memuat)" in out
    assert 'href="/media/b.png"' in out and "Gambar (ketuk untuk memuat)" in out


def test_switching_data_saver_on_and_off_is_remembered(client, db):
    import_sample_curriculum()
    _add_image(db)
    user = make_user(username="sari")
    login(client, "sari")
    page = client.get(MODULE).text
    assert IMAGE.search(page) and "Aktifkan hemat data" in page

    response = client.post("/preferences/data-saver", data={"enabled": "1", "next": MODULE})
    assert response.status_code == 303 and response.headers["Location"] == MODULE
    assert user.data_saver is True
    page = client.get(MODULE).text
    assert "<img" not in page.split('class="prose"')[1].split("</div>")[0]
    assert 'class="image-held" href="/media/peta.png"' in page
    assert "Matikan hemat data" in page and "Hemat data aktif" in page

    client.post("/preferences/data-saver", data={"enabled": "0", "next": MODULE})
    assert user.data_saver is False
    assert IMAGE.search(client.get(MODULE).text)


def test_bad_setting_is_refused_with_400(client, db):
    make_user(username="sari")
    login(client, "sari")
    response = client.post("/preferences/data-saver", data={"enabled": "ya"})
    assert response.status_code == 400 and "Pengaturan tidak tersimpan" in response.text


def test_setting_needs_sign_in(client, db):
    assert client.post("/preferences/data-saver", data={"enabled": "1"}).status_code == 302
