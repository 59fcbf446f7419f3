"""The offline download states its size: the bundle carries a `bytes` total that counts each
image at its stored size, the pages and the static files; the service worker falls back to the
kept full-size image when a smaller copy is not on the device."""
import io

import sqlalchemy as sa

from learning.content.revisions import publish_module_revision, save_module_revision
from learning.media.offline_size import PAGE_CHROME_BYTES, bundle_bytes, media_bytes
from learning.models import Image, Module

from ..factories import import_sample_curriculum, login, make_user
from ..photos import photo_like


def test_the_bundle_counts_its_images_pages_and_files(client, db, app):
    import_sample_curriculum()
    make_user(role="trainer", username="tina")
    make_user(username="ani")
    login(client, "tina")
    assert client.post("/media/upload", headers={"Accept": "application/json"}, data={
        "image": (io.BytesIO(photo_like()), "foto.jpg"), "alt": "Foto"}).status_code == 201
    image = db.session.scalar(sa.select(Image))
    client.post("/logout")
    login(client, "ani")
    before = client.get("/courses/contoh/offline-bundle").get_json()["bytes"]
    module = db.session.scalar(sa.select(Module).where(Module.slug == "penutup"))
    revision = save_module_revision(
        module, title=module.title, minutes=module.minutes, laws=module.laws, reviewed=None,
        source=f"Teks.\n\n![Foto]({image.path})\n", author=None)
    publish_module_revision(module, revision)
    db.session.commit()
    after = client.get("/courses/contoh/offline-bundle").get_json()
    assert image.path in after["media"]
    assert after["bytes"] >= image.byte_size + 4 * PAGE_CHROME_BYTES
    # the photo is what grew the download (the module's own text changed a little too)
    assert image.byte_size <= after["bytes"] - before <= image.byte_size + 2000
    assert media_bytes([image.path, "/media/peta.png", "/elsewhere"]) == image.byte_size
    assert bundle_bytes([], ["abc"], []) == 3 + PAGE_CHROME_BYTES


def test_the_worker_shows_the_full_image_when_a_copy_is_not_kept(client, db):
    worker = client.get("/sw.js").get_data(as_text=True)
    assert "MEDIA_COPY" in worker and '"/media/" + copy[1]' in worker
